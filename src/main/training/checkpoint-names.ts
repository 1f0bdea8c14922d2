/**
 * Checkpoint folder names (checkpoints/step-00000120), apart from
 * checkpoint.ts so the code that only lists or checks checkpoints (export,
 * the Generate view's list) does not load tf.js.
 */
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { RUN_FILES } from '../runs';

const NAME_PATTERN = /^step-(\d{8})$/;

/** checkpoints/step-00000120 for step 120. */
export function checkpointName(step: number): string {
  return `step-${String(step).padStart(8, '0')}`;
}

/** The step of a checkpoint folder name, or undefined for any other name (.tmp-… folders). */
export function checkpointStep(name: string): number | undefined {
  const match = NAME_PATTERN.exec(name);
  return match ? Number(match[1]) : undefined;
}

/** Checkpoint folder names, oldest first. */
export async function checkpointNames(runDir: string): Promise<string[]> {
  try {
    return (await readdir(join(runDir, RUN_FILES.checkpoints))).filter((name) => NAME_PATTERN.test(name)).sort();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
}

/** Checkpoint folders (checkpoints/step-*), newest first, complete or not. */
export async function checkpointDirsNewestFirst(runDir: string): Promise<string[]> {
  return (await checkpointNames(runDir)).reverse().map((name) => join(runDir, RUN_FILES.checkpoints, name));
}
