/**
 * Sample grids of the fixed noise: after every epoch (samples/epoch-NNNN.png)
 * and between epochs as the grid schedule says — after the early steps in
 * config.earlySampleSteps, then every LIVE_GRID_SECONDS of training
 * (samples/step-NNNNNN.png) — so the live page's grid moves within an epoch.
 * With the EMA recipe on, the grids show the EMA generator (what exports and
 * scores use).
 */
import { sampleFileName } from '../../runs';
import { writeSampleGrid } from '../sample-grid';
import type { GridSchedule } from './grid-schedule';
import { shownGenerator, type EpochHook, type TrainingSession } from './types';

export function sampleGridHook(session: TrainingSession, schedule: GridSchedule): EpochHook {
  const { config, runDir } = session;
  const grid = { rows: config.gridRows, cols: config.gridCols, latentDim: config.latentDim };
  const sample = async (kind: 'epoch' | 'step', index: number, epoch: number, step: number) => {
    const file = sampleFileName(kind, index);
    await writeSampleGrid(runDir, file, shownGenerator(session), session.fixedNoise, grid);
    await session.emit({ type: 'sample', epoch, step, file });
  };
  return {
    name: 'sample grid',
    async onStep({ step, completedEpochs }) {
      if (schedule.due(step)) await sample('step', step, completedEpochs + 1, step);
    },
    async onEpochEnd({ completedEpochs, step }) {
      await sample('epoch', completedEpochs, completedEpochs, step);
      schedule.drew();
    },
  };
}
