/**
 * Before the EMA generator is shown, scored or saved (the hooks after this
 * one), its BatchNorm statistics are re-estimated from its own activations
 * (GeneratorEma.refreshBatchNormStatistics). Every step copies the live
 * generator's statistics back, so the refresh changes nothing in training.
 */
import type { EpochHook, TrainingSession } from './types';

/** The hook, or undefined when the run keeps no EMA generator. */
export function emaStatisticsHook(session: TrainingSession): EpochHook | undefined {
  const ema = session.gan.ema;
  if (!ema) return undefined;
  const refresh = async () => ema.refreshBatchNormStatistics();
  return {
    name: 'EMA BatchNorm statistics',
    async onStep({ step }) {
      // The early sample grids show the EMA generator too.
      if (session.config.earlySampleSteps.includes(step)) await refresh();
    },
    onEpochEnd: refresh,
    onStop: refresh,
  };
}
