/**
 * Checkpoints: checkpoints/step-00000120/ holds generator/ and discriminator/
 * (model.json + weights.bin), both Adam states, a copy of the fixed noise and
 * state.json (counters + seed — the RNG streams are counter-based, see rng.ts —
 * and the size and SHA-256 of every other file, see checkpoint-integrity.ts),
 * plus the objective's state when its recipes are on: generator-ema/ (the EMA
 * generator) and objective-state.json/.bin (spectral norm's u vectors).
 * Each is written into a .tmp- folder and renamed into place, so a folder
 * named step-* is always complete when written; damage after that (a disk
 * error, a deleted file) is caught on resume. The last KEEP_CHECKPOINTS are kept.
 */
import * as tf from '@tensorflow/tfjs';
import { copyFile, mkdir, readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { RUN_FILES } from '../runs';
import type { GanStep } from './gan-step';
import { loadModelFromDir, saveModelToDir } from './models';
import { loadNamedTensors, saveNamedTensors } from './named-tensors';
import { CHECKPOINT_STATE_FILE, listCheckpointFiles, type CheckpointFiles } from './checkpoint-integrity';
import { checkpointDirsNewestFirst, checkpointName, checkpointNames } from './checkpoint-names';
import { loadOptimizerState, saveOptimizerState } from './optimizer-io';

/** How many complete checkpoints a run keeps (older ones are deleted after a new one lands). */
export const KEEP_CHECKPOINTS = 3;

/** Where training stands; everything needed to continue the same schedule. */
export interface CheckpointState {
  version: 1;
  /** Global steps done. */
  step: number;
  /** Epochs fully done (their epoch record, grid and hooks included). */
  completedEpochs: number;
  /** Steps done in epoch completedEpochs + 1 (0 at an epoch boundary). */
  stepInEpoch: number;
  seed: number;
  /** How the RNG state is represented: streams derived from (seed, purpose, counter). */
  rng: 'mulberry32-counter';
  savedAt: string;
  /** Size and SHA-256 of every other file in the folder (absent in older checkpoints). */
  files?: CheckpointFiles;
}

export interface CheckpointParts {
  generator: tf.LayersModel;
  discriminator: tf.LayersModel;
  gan: GanStep;
}

/** Folder of the EMA generator and file of the objective's tensors inside a checkpoint. */
export const EMA_DIR = 'generator-ema';
const OBJECTIVE_STATE = 'objective-state';

export { checkpointDirsNewestFirst, checkpointName };

/** Write a checkpoint atomically; returns its folder. A checkpoint already at this step is kept as is. */
export async function saveCheckpoint(runDir: string, parts: CheckpointParts, state: Omit<CheckpointState, 'version' | 'rng' | 'savedAt'>): Promise<string> {
  const root = join(runDir, RUN_FILES.checkpoints);
  const final = join(root, checkpointName(state.step));
  if (await exists(join(final, 'state.json'))) return final;
  const temp = join(root, `.tmp-${checkpointName(state.step)}-${process.pid}`);
  await rm(temp, { recursive: true, force: true });
  try {
    await writeCheckpointFolder(runDir, temp, parts, state);
  } catch (error) {
    // A half-written checkpoint is useless, and on a full disk its space is needed to record the failure.
    await rm(temp, { recursive: true, force: true });
    throw error;
  }
  await rename(temp, final);
  await pruneCheckpoints(runDir);
  return final;
}

async function writeCheckpointFolder(
  runDir: string,
  temp: string,
  parts: CheckpointParts,
  state: Omit<CheckpointState, 'version' | 'rng' | 'savedAt'>,
): Promise<void> {
  await mkdir(join(temp, 'generator'), { recursive: true });
  await mkdir(join(temp, 'discriminator'), { recursive: true });
  await saveModelToDir(parts.generator, join(temp, 'generator'));
  await saveModelToDir(parts.discriminator, join(temp, 'discriminator'));
  await saveOptimizerState(parts.gan.generatorOptimizer, temp, 'generator-optimizer');
  await saveOptimizerState(parts.gan.discriminatorOptimizer, temp, 'discriminator-optimizer');
  if (parts.gan.ema) {
    await mkdir(join(temp, EMA_DIR));
    await saveModelToDir(parts.gan.ema.model, join(temp, EMA_DIR));
  }
  if (parts.gan.spectralNorm) await saveNamedTensors(temp, OBJECTIVE_STATE, parts.gan.spectralNorm.state());
  await copyFile(join(runDir, RUN_FILES.noise), join(temp, RUN_FILES.noise));
  // Listed last, so the list covers every file written above.
  const files = await listCheckpointFiles(temp);
  const full: CheckpointState = { version: 1, ...state, rng: 'mulberry32-counter', savedAt: new Date().toISOString(), files };
  await writeFile(join(temp, CHECKPOINT_STATE_FILE), JSON.stringify(full, null, 2));
}

/** The newest checkpoint whose folder is complete, or undefined when there is none. */
export async function latestCompleteCheckpoint(runDir: string): Promise<{ dir: string; state: CheckpointState } | undefined> {
  for (const name of (await checkpointNames(runDir)).reverse()) {
    const dir = join(runDir, RUN_FILES.checkpoints, name);
    try {
      const state = JSON.parse(await readFile(join(dir, 'state.json'), 'utf8')) as CheckpointState;
      if (state.version === 1 && Number.isInteger(state.step)) return { dir, state };
    } catch {
      // An unreadable state.json means this folder cannot be trusted; try the one before it.
    }
  }
  return undefined;
}

/** Load the generator and discriminator saved in a checkpoint folder. */
export async function loadCheckpointModels(dir: string): Promise<{ generator: tf.LayersModel; discriminator: tf.LayersModel }> {
  const generator = await loadModelFromDir(join(dir, 'generator'));
  try {
    return { generator, discriminator: await loadModelFromDir(join(dir, 'discriminator')) };
  } catch (error) {
    generator.dispose(); // a damaged discriminator must not leak the generator's tensors
    throw error;
  }
}

/** Restore both Adam states into a fresh GanStep built on the checkpoint's models. */
export async function restoreOptimizers(dir: string, parts: CheckpointParts): Promise<void> {
  const shapes = (model: tf.LayersModel) => model.trainableWeights.map((weight) => weight.shape as number[]);
  await loadOptimizerState(parts.gan.generatorOptimizer, dir, 'generator-optimizer', shapes(parts.generator));
  await loadOptimizerState(parts.gan.discriminatorOptimizer, dir, 'discriminator-optimizer', shapes(parts.discriminator));
}

/**
 * Restore the objective's state (EMA generator, spectral norm's u vectors)
 * into a fresh GanStep. A recipe the checkpoint has no state for (switched on
 * for a run whose older checkpoints lack it) keeps its fresh start: the EMA
 * starts from the generator, u from its seeded draw.
 */
export async function restoreObjectiveState(dir: string, gan: GanStep): Promise<void> {
  if (gan.ema && (await exists(join(dir, EMA_DIR, 'model.json')))) {
    const saved = await loadModelFromDir(join(dir, EMA_DIR));
    gan.ema.model.setWeights(saved.getWeights());
    saved.dispose();
  }
  if (gan.spectralNorm && (await exists(join(dir, `${OBJECTIVE_STATE}.json`)))) {
    const saved = await loadNamedTensors(dir, OBJECTIVE_STATE);
    try {
      gan.spectralNorm.restore(saved);
    } finally {
      tf.dispose(saved.map((entry) => entry.tensor));
    }
  }
}

/** Delete all but the newest KEEP_CHECKPOINTS complete ones, incomplete folders and temp folders left by killed trainers. */
async function pruneCheckpoints(runDir: string): Promise<void> {
  const root = join(runDir, RUN_FILES.checkpoints);
  const names = await checkpointNames(runDir);
  const complete: string[] = [];
  for (const name of names) if (await exists(join(root, name, 'state.json'))) complete.push(name);
  const keep = new Set(complete.slice(-KEEP_CHECKPOINTS));
  const stale = (await readdir(root)).filter((name) => name.startsWith('.tmp-'));
  for (const name of [...names.filter((name) => !keep.has(name)), ...stale]) {
    await rm(join(root, name), { recursive: true, force: true });
  }
}

async function exists(path: string): Promise<boolean> {
  return stat(path).then(
    () => true,
    () => false,
  );
}
