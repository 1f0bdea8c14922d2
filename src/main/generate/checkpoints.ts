/**
 * Which generators a run has saved: every checkpoints/step-* folder (see
 * training/checkpoint.ts) with its epoch, whether it also holds the EMA
 * generator (generator-ema/, when trained with an EMA decay), and — checked
 * against the SHA-256 list in its state.json — whether its generators are
 * damaged. A damaged checkpoint is listed (so the picker can say why) but
 * never drawn from: the default falls back to the newest intact one and says
 * so. Picking one by epoch or step fails with a message listing what there
 * is — a run keeps only its last few checkpoints.
 */
import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { GeneratorCheckpoint } from '../../shared/generate';
import { ExportInputError } from '../export/errors';
import { EMA_DIR } from '../training/checkpoint';
import { checkCheckpoints, passedOverNotes } from '../training/checkpoint-choice';
import { checkpointName } from '../training/checkpoint-names';
import { inFolders } from '../training/checkpoint-integrity';

/** A saved generator and where its folders are. */
export interface CheckpointOnDisk extends GeneratorCheckpoint {
  dir: string;
}

const isFile = (path: string) => stat(path).then((s) => s.isFile(), () => false);

/** Every checkpoint of the run, oldest first; one whose generator files fail their check carries `damage`. */
export async function listGeneratorCheckpoints(runDir: string): Promise<CheckpointOnDisk[]> {
  const found: CheckpointOnDisk[] = [];
  for (const checked of (await checkCheckpoints(runDir, inFolders('generator', EMA_DIR))).reverse()) {
    const { dir, step, state } = checked;
    const hasModel = await isFile(join(dir, 'generator', 'model.json'));
    found.push({
      dir,
      step,
      epoch: state?.completedEpochs ?? 0,
      stepInEpoch: state?.stepInEpoch ?? 0,
      hasEma: await isFile(join(dir, EMA_DIR, 'model.json')),
      ...(checked.damage ? { damage: checked.damage } : hasModel ? {} : { damage: 'generator/model.json is missing' }),
    });
  }
  return found;
}

/** "epoch 3", or "epoch 3 + 5 steps" for a checkpoint saved by a stop mid-epoch. */
export function describeCheckpoint(checkpoint: GeneratorCheckpoint): string {
  return checkpoint.stepInEpoch > 0 ? `epoch ${checkpoint.epoch} + ${checkpoint.stepInEpoch} steps` : `epoch ${checkpoint.epoch}`;
}

/**
 * The checkpoint to generate from: the one at `step`, else the newest intact one saved at the end
 * of (or, failing that, during) epoch `epoch`, else the newest intact one — with notes naming the
 * damaged newer checkpoints passed over. A damaged checkpoint asked for by step is refused.
 * Throws ExportInputError naming the choices.
 */
export function chooseCheckpoint(
  checkpoints: CheckpointOnDisk[],
  choice: { epoch?: number; step?: number; runName: string },
): { checkpoint: CheckpointOnDisk; notes: string[] } {
  if (checkpoints.length === 0) {
    throw new ExportInputError(
      `Run "${choice.runName}" has no saved checkpoint yet, so there is no generator to draw from.`,
      'Generate after the first checkpoint (written at the end of each epoch and when training stops).',
    );
  }
  const intact = checkpoints.filter((checkpoint) => checkpoint.damage === undefined);
  const available = intact.length
    ? `It has ${intact.map(describeCheckpoint).join(', ')} (a run keeps only its last few checkpoints).`
    : `Every checkpoint it has is damaged: ${checkpoints.map((c) => `step ${c.step} (${c.damage})`).join('; ')}.`;
  if (choice.step !== undefined) {
    const atStep = checkpoints.find((checkpoint) => checkpoint.step === choice.step);
    if (!atStep) throw new ExportInputError(`Run "${choice.runName}" has no checkpoint at step ${choice.step}. ${available}`, 'Pick one of the saved checkpoints.');
    if (atStep.damage) {
      throw new ExportInputError(`Checkpoint step ${atStep.step} of run "${choice.runName}" is damaged (${atStep.damage}), so its generator is not used. ${available}`, 'Pick an intact checkpoint.');
    }
    return { checkpoint: atStep, notes: [] };
  }
  const candidates = choice.epoch === undefined ? intact : intact.filter((checkpoint) => checkpoint.epoch === choice.epoch);
  const chosen = choice.epoch === undefined ? candidates.at(-1) : (candidates.find((checkpoint) => checkpoint.stepInEpoch === 0) ?? candidates.at(-1));
  if (!chosen) {
    const anyInEpoch = choice.epoch === undefined || checkpoints.some((checkpoint) => checkpoint.epoch === choice.epoch);
    const what = `no ${anyInEpoch ? 'intact ' : ''}checkpoint${choice.epoch === undefined ? '' : ` for epoch ${choice.epoch}`}`;
    throw new ExportInputError(`Run "${choice.runName}" has ${what}. ${available}`, choice.epoch === undefined ? 'Train the run on (a resume writes new checkpoints).' : 'Pass one of those epochs, or leave --epoch out for the newest.');
  }
  // Damaged checkpoints newer than the one chosen (of the epoch asked for, or any) are said, not silently skipped.
  const passedOver = checkpoints.filter((checkpoint) => checkpoint.damage && checkpoint.step > chosen.step && (choice.epoch === undefined || checkpoint.epoch === choice.epoch));
  const notes = passedOverNotes(passedOver.reverse().map((c) => ({ name: checkpointName(c.step), damage: c.damage })), chosen);
  return { checkpoint: chosen, notes };
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
