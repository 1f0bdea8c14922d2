/**
 * Where a resumed session starts: the newest checkpoint that is intact and
 * loads. A damaged newer one (a file missing or cut short, state.json
 * unreadable) is skipped — and removed, since it lies past the point training
 * continues from and would otherwise shadow the checkpoint written again at
 * its step. What was skipped is returned as notes for the user.
 */
import type * as tf from '@tensorflow/tfjs';
import { rm } from 'node:fs/promises';
import { basename } from 'node:path';
import type { TrainingConfig } from '../../shared/config';
import type { CheckpointState } from './checkpoint';
import { checkpointDirsNewestFirst, loadCheckpointModels, restoreObjectiveState, restoreOptimizers } from './checkpoint';
import { readIntactState } from './checkpoint-integrity';
import { TrainingError } from './errors';
import { createGanStep, type GanStep } from './gan-step';

export interface ResumePoint {
  checkpoint: { dir: string; state: CheckpointState };
  generator: tf.LayersModel;
  discriminator: tf.LayersModel;
  gan: GanStep;
  /** Sentences for the user: which damaged checkpoints were skipped and which one is used. */
  notes: string[];
}

/**
 * Open the newest usable checkpoint of `runDir`: undefined when there is none at all (training
 * starts over); TrainingError('bad-input') listing every reason when all of them are damaged.
 */
export async function openResumePoint(runDir: string, config: TrainingConfig, totalSteps: number): Promise<ResumePoint | undefined> {
  const dirs = await checkpointDirsNewestFirst(runDir);
  if (dirs.length === 0) return undefined;
  const skipped: { dir: string; reason: string }[] = [];
  for (const dir of dirs) {
    let state: CheckpointState;
    try {
      state = await readIntactState(dir);
    } catch (error) {
      skipped.push({ dir, reason: (error as Error).message });
      continue;
    }
    if (state.seed !== config.seed) {
      throw new TrainingError('bad-input', `Checkpoint ${dir} was made with seed ${state.seed}, but run.json says ${config.seed}.`);
    }
    const opened = await tryLoad(dir, config, totalSteps);
    if ('reason' in opened) {
      skipped.push({ dir, reason: opened.reason });
      continue;
    }
    for (const damaged of skipped) await rm(damaged.dir, { recursive: true, force: true });
    const notes = skipped.map((damaged) => `checkpoint ${basename(damaged.dir)} is damaged (${damaged.reason}) and was removed`);
    if (skipped.length > 0) notes.push(`resuming from the newest intact checkpoint, ${basename(dir)} (step ${state.step})`);
    return { checkpoint: { dir, state }, ...opened, notes };
  }
  throw new TrainingError(
    'bad-input',
    `Every checkpoint of ${runDir} is damaged: ${skipped.map((damaged) => `${basename(damaged.dir)} (${damaged.reason})`).join('; ')}. ` +
      'Nothing in the run was changed: its status, metrics, samples, exports and checkpoints are as they were. ' +
        'Start a new run with the same settings (a variant) to train further.',
  );
}

/** Where a resumed run continues: the newest intact checkpoint's name and counters. */
export interface ResumeAt {
  checkpoint: string;
  step: number;
  completedEpochs: number;
  stepInEpoch: number;
}

/** Where a resume would continue — the newest checkpoint whose files are intact — without loading it; undefined when there is none. */
export async function newestResumeAt(runDir: string): Promise<ResumeAt | undefined> {
  for (const dir of await checkpointDirsNewestFirst(runDir)) {
    const state = await readIntactState(dir).catch(() => undefined);
    if (state) return { checkpoint: basename(dir), step: state.step, completedEpochs: state.completedEpochs, stepInEpoch: state.stepInEpoch };
  }
  return undefined;
}

/** Models, both Adam states and the objective's state (EMA, spectral norm) of one checkpoint, or why they do not load (nothing is left allocated then). */
async function tryLoad(dir: string, config: TrainingConfig, totalSteps: number): Promise<Pick<ResumePoint, 'generator' | 'discriminator' | 'gan'> | { reason: string }> {
  let models: { generator: tf.LayersModel; discriminator: tf.LayersModel } | undefined;
  let gan: GanStep | undefined;
  try {
    models = await loadCheckpointModels(dir);
    gan = createGanStep({ ...models, config, totalSteps });
    await restoreOptimizers(dir, { ...models, gan });
    await restoreObjectiveState(dir, gan);
    return { ...models, gan };
  } catch (error) {
    gan?.dispose();
    models?.generator.dispose();
    models?.discriminator.dispose();
    return { reason: (error as Error).message };
  }
}
