/**
 * Checkpoints: every config.checkpointEvery epochs, after the last epoch, and
 * on stop when steps were trained since the last one. Step 0 is never saved
 * (a resume of an untrained run simply starts over).
 */
import { relative } from 'node:path';
import { saveCheckpoint } from '../checkpoint';
import type { EpochHook, TrainingProgress, TrainingSession } from './types';

/** `savedAtStep`: the step of the checkpoint training continues from (0 for a new run). */
export function checkpointHook(session: TrainingSession, savedAtStep: number): EpochHook {
  const { config, runDir } = session;
  let lastSaved = savedAtStep;
  const save = async ({ step, completedEpochs, stepInEpoch }: TrainingProgress) => {
    if (step === 0 || step === lastSaved) return;
    const dir = await saveCheckpoint(runDir, session, { step, completedEpochs, stepInEpoch, seed: config.seed });
    lastSaved = step;
    await session.emit({ type: 'checkpoint', epoch: completedEpochs, step, dir: relative(runDir, dir) });
  };
  return {
    name: 'checkpoint',
    async onEpochEnd(at) {
      if (at.completedEpochs % config.checkpointEvery === 0 || at.last) await save(at);
    },
    onStop: save,
  };
}
