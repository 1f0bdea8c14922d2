/**
 * Before the EMA generator is shown, scored or saved (the hooks after this
 * one), its BatchNorm statistics are re-estimated from its own activations
 * (GeneratorEma.refreshBatchNormStatistics). Every step copies the live
 * generator's statistics back, so the refresh changes nothing in training.
 */
import type { GridSchedule } from './grid-schedule';
import type { EpochHook, TrainingSession } from './types';

/** The hook, or undefined when the run keeps no EMA generator. */
export function emaStatisticsHook(session: TrainingSession, grids: GridSchedule): EpochHook | undefined {
  const ema = session.gan.ema;
  if (!ema) return undefined;
  const refresh = async () => ema.refreshBatchNormStatistics();
  return {
    name: 'EMA BatchNorm statistics',
    async onStep({ step }) {
      // The grids between epochs show the EMA generator too.
      if (grids.due(step)) await refresh();
    },
    onEpochEnd: refresh,
    onStop: refresh,
  };
}
