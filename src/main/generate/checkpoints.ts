/**
 * Which generators a run has saved: every complete checkpoints/step-* folder
 * (see training/checkpoint.ts) with its epoch, and whether it also holds the
 * EMA generator (generator-ema/, when trained with an EMA decay). Picking one by epoch or step fails with a
 * message listing what there is — a run keeps only its last few checkpoints.
 */
import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { GeneratorCheckpoint } from '../../shared/generate';
import { ExportInputError } from '../export/errors';
import { RUN_FILES } from '../runs';
import { EMA_DIR, type CheckpointState } from '../training/checkpoint';
import { CHECKPOINT_STATE_FILE } from '../training/checkpoint-integrity';

/** A saved generator and where its folders are. */
export interface CheckpointOnDisk extends GeneratorCheckpoint {
  dir: string;
}

const NAME_PATTERN = /^step-(\d{8})$/;

const isFile = (path: string) => stat(path).then((s) => s.isFile(), () => false);

/** Every complete checkpoint of the run with a loadable generator, oldest first. */
export async function listGeneratorCheckpoints(runDir: string): Promise<CheckpointOnDisk[]> {
  let names: string[];
  try {
    names = (await readdir(join(runDir, RUN_FILES.checkpoints))).filter((name) => NAME_PATTERN.test(name)).sort();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
  const found: CheckpointOnDisk[] = [];
  for (const name of names) {
    const dir = join(runDir, RUN_FILES.checkpoints, name);
    let state: Partial<CheckpointState>;
    try {
      state = JSON.parse(await readFile(join(dir, CHECKPOINT_STATE_FILE), 'utf8')) as Partial<CheckpointState>;
    } catch {
      continue; // no state file: an interrupted or foreign folder, not a checkpoint
    }
    if (!(await isFile(join(dir, 'generator', 'model.json')))) continue;
    found.push({
      dir,
      step: Number(NAME_PATTERN.exec(name)![1]),
      epoch: Number.isInteger(state.completedEpochs) ? state.completedEpochs! : 0,
      stepInEpoch: Number.isInteger(state.stepInEpoch) ? state.stepInEpoch! : 0,
      hasEma: await isFile(join(dir, EMA_DIR, 'model.json')),
    });
  }
  return found;
}

/** "epoch 3", or "epoch 3 + 5 steps" for a checkpoint saved by a stop mid-epoch. */
export function describeCheckpoint(checkpoint: GeneratorCheckpoint): string {
  return checkpoint.stepInEpoch > 0 ? `epoch ${checkpoint.epoch} + ${checkpoint.stepInEpoch} steps` : `epoch ${checkpoint.epoch}`;
}

/**
 * The checkpoint to generate from: the one at `step`, else the newest saved at the end of
 * (or, failing that, during) epoch `epoch`, else the newest. Throws ExportInputError naming the choices.
 */
export function chooseCheckpoint(
  checkpoints: CheckpointOnDisk[],
  choice: { epoch?: number; step?: number; runName: string },
): CheckpointOnDisk {
  if (checkpoints.length === 0) {
    throw new ExportInputError(
      `Run "${choice.runName}" has no saved checkpoint yet, so there is no generator to draw from.`,
      'Generate after the first checkpoint (written at the end of each epoch and when training stops).',
    );
  }
  const available = `It has ${checkpoints.map(describeCheckpoint).join(', ')} (a run keeps only its last few checkpoints).`;
  if (choice.step !== undefined) {
    const atStep = checkpoints.find((checkpoint) => checkpoint.step === choice.step);
    if (!atStep) throw new ExportInputError(`Run "${choice.runName}" has no checkpoint at step ${choice.step}. ${available}`, 'Pick one of the saved checkpoints.');
    return atStep;
  }
  if (choice.epoch !== undefined) {
    const inEpoch = checkpoints.filter((checkpoint) => checkpoint.epoch === choice.epoch);
    const chosen = inEpoch.find((checkpoint) => checkpoint.stepInEpoch === 0) ?? inEpoch.at(-1);
    if (!chosen) throw new ExportInputError(`Run "${choice.runName}" has no checkpoint for epoch ${choice.epoch}. ${available}`, 'Pass one of those epochs, or leave --epoch out for the newest.');
    return chosen;
  }
  return checkpoints.at(-1)!;
}

/** The generator folder to load: the EMA copy when asked for (and present), else the trained weights. */
export function generatorDirOf(checkpoint: CheckpointOnDisk, ema: boolean, runName: string): string {
  if (!ema) return join(checkpoint.dir, 'generator');
  if (!checkpoint.hasEma) {
    throw new ExportInputError(
      `Checkpoint ${describeCheckpoint(checkpoint)} of run "${runName}" has no EMA generator.`,
      'Runs keep an EMA generator only when trained with an EMA decay; generate from the trained generator instead.',
    );
  }
  return join(checkpoint.dir, EMA_DIR);
}
