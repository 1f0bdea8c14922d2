/**
 * The epoch hooks of a training run, in the order they run. To add per-epoch
 * work (scores, TensorBoard, …), write one hook module and add it to this
 * array; the checkpoint stays last so it records everything before it.
 */
import { checkpointHook } from './checkpoint-hook';
import { deviceHealthHook } from './device-health-hook';
import { emaStatisticsHook } from './ema-statistics-hook';
import { gridSchedule } from './grid-schedule';
import { sampleGridHook } from './sample-grid-hook';
import { scoreHook } from './score-hook';
import { tensorboardHook } from './tensorboard-hook';
import type { EpochHook, TrainingProgress, TrainingSession } from './types';

export type { DeviceHealth, EpochEnd, EpochHook, StepEnd, TrainingProgress, TrainingSession } from './types';

/** The hooks every run gets. `start`: where this session continues from. */
export function createEpochHooks(session: TrainingSession, start: TrainingProgress): EpochHook[] {
  const grids = gridSchedule(session.config.earlySampleSteps);
  const emaStatistics = emaStatisticsHook(session, grids);
  const scores = scoreHook(session);
  const health = session.deviceHealth ? [deviceHealthHook(session.deviceHealth)] : [];
  // The EMA's statistics first (the grids, scores and checkpoint use them); TensorBoard after the
  // grids and scores it logs; the device's health checked just before the checkpoint, which is last.
  return [
    ...(emaStatistics ? [emaStatistics] : []),
    sampleGridHook(session, grids),
    ...(scores ? [scores] : []),
    tensorboardHook(session, start),
    ...health,
    checkpointHook(session, start.step),
  ];
}
