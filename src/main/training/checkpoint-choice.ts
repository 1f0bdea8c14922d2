/**
 * Which checkpoint a use of saved weights picks — export, generate, score, the
 * Generate view's list: each checkpoint folder is checked against the size and
 * SHA-256 list in its state.json (only the files that use needs), so a file
 * cut short or changed after it was written is never passed on. The newest
 * intact checkpoint is used, and the damaged newer ones it passed over are
 * named in notes for the user. (Resume picks its own way: resume-point.ts.)
 */
import { basename } from 'node:path';
import { checkpointDirsNewestFirst, checkpointName, checkpointStep } from './checkpoint-names';
import { checkListedFiles, CheckpointDamageError, readCheckpointState, type CheckpointStateFile, type FileSelection } from './checkpoint-integrity';

/** One checkpoint folder as checked: its state when state.json reads, and why it cannot be used when damaged. */
export interface CheckedCheckpoint {
  dir: string;
  /** The folder's name, e.g. step-00000624. */
  name: string;
  /** The global step, from the folder's name. */
  step: number;
  state?: CheckpointStateFile;
  /** What is wrong ("generator/weights.bin is truncated (9772 of 29316 bytes)"); absent when intact. */
  damage?: string;
}

/** An intact checkpoint, with the state its files were checked against. */
export type IntactCheckpoint = CheckedCheckpoint & { state: CheckpointStateFile; damage?: undefined };

/** Every checkpoint folder of the run, newest first, each checked (the files `selection` picks). */
export async function checkCheckpoints(runDir: string, selection?: FileSelection): Promise<CheckedCheckpoint[]> {
  const checked: CheckedCheckpoint[] = [];
  for (const dir of await checkpointDirsNewestFirst(runDir)) {
    const name = basename(dir);
    const step = checkpointStep(name)!;
    let state: CheckpointStateFile | undefined;
    try {
      state = await readCheckpointState(dir);
      await checkListedFiles(dir, state, selection);
      checked.push({ dir, name, step, state });
    } catch (error) {
      if (!(error instanceof CheckpointDamageError)) throw error;
      checked.push({ dir, name, step, ...(state ? { state } : {}), damage: error.message });
    }
  }
  return checked;
}

export const isIntact = (checkpoint: CheckedCheckpoint): checkpoint is IntactCheckpoint => checkpoint.damage === undefined && checkpoint.state !== undefined;

/**
 * The newest intact checkpoint of the run (checking the files `selection` picks) and the damaged
 * newer ones passed over; `checkpoint` is undefined when there is none intact.
 */
export async function newestIntactCheckpoint(runDir: string, selection?: FileSelection): Promise<{ checkpoint?: IntactCheckpoint; passedOver: CheckedCheckpoint[] }> {
  const all = await checkCheckpoints(runDir, selection);
  const index = all.findIndex(isIntact);
  if (index < 0) return { passedOver: all };
  return { checkpoint: all[index] as IntactCheckpoint, passedOver: all.slice(0, index) };
}

/**
 * Notes saying which damaged checkpoints were passed over and which one was used instead, e.g.
 * "checkpoint step-00000624 is damaged (generator/weights.bin is truncated (9772 of 29316 bytes))
 * and was passed over; used the newest intact one, step-00000500 (step 500)". None when nothing was passed over.
 */
export function passedOverNotes(passedOver: Pick<CheckedCheckpoint, 'name' | 'damage'>[], used: { step: number }): string[] {
  if (passedOver.length === 0) return [];
  const damaged = passedOver.map((checkpoint) => `checkpoint ${checkpoint.name} is damaged (${checkpoint.damage ?? 'unreadable'}) and was passed over`);
  return [...damaged.slice(0, -1), `${damaged.at(-1)}; used the newest intact one, ${checkpointName(used.step)} (step ${used.step})`];
}

/** "step-00000624 (generator/weights.bin is truncated …); step-00000500 (…)": every damaged checkpoint and why. */
export function describeDamaged(checkpoints: CheckedCheckpoint[]): string {
  return checkpoints.map((checkpoint) => `${checkpoint.name} (${checkpoint.damage ?? 'unreadable'})`).join('; ');
}
