/**
 * TensorBoard event files for every run (`tensorboard --logdir RUNS`): step
 * metrics, epoch means, scores and the sample grids, written by
 * src/main/tensorboard/run-log.ts. It runs after the sample-grid (and scores)
 * hooks, whose files it reads, and opens its event file on first use.
 */
import { openTensorBoardLog, type TensorBoardLog } from '../../tensorboard/run-log';
import type { EpochHook, TrainingProgress, TrainingSession } from './types';

export function tensorboardHook(session: TrainingSession, start: TrainingProgress): EpochHook {
  let log: Promise<TensorBoardLog> | undefined;
  const open = () => (log ??= openTensorBoardLog({ runDir: session.runDir, startStep: start.step, earlySampleSteps: session.config.earlySampleSteps }));
  return {
    name: 'TensorBoard',
    onStep: async (at) => (await open()).onStep(at),
    onEpochEnd: async (at) => (await open()).onEpochEnd(at),
    onStop: async () => (await open()).onStop(),
  };
}
