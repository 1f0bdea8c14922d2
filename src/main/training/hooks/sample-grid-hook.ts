/**
 * Sample grids of the fixed noise: after every epoch (samples/epoch-NNNN.png)
 * and after the early steps in config.earlySampleSteps (samples/step-NNNNNN.png),
 * so the first minutes of a run already show something. With the EMA
 * recipe on, the grids show the EMA generator (what exports and scores use).
 */
import { sampleFileName } from '../../runs';
import { writeSampleGrid } from '../sample-grid';
import { shownGenerator, type EpochHook, type TrainingSession } from './types';

export function sampleGridHook(session: TrainingSession): EpochHook {
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
      if (config.earlySampleSteps.includes(step)) await sample('step', step, completedEpochs + 1, step);
    },
    async onEpochEnd({ completedEpochs, step }) {
      await sample('epoch', completedEpochs, completedEpochs, step);
    },
  };
}
