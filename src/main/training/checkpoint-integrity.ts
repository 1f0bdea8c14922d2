/**
 * Is a checkpoint folder intact? state.json lists every file of the folder
 * with its size and SHA-256 (written last, before the rename), so a file that
 * went missing, was cut short or changed afterwards is caught before any
 * weights are loaded. Checkpoints from before the list existed are checked
 * by loading them (models and optimizer files check their own sizes).
 */
import { readdir, readFile, stat } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { z } from 'zod';
import { describeFsError, errorCode } from '../runs';
import { sha256OfFile } from './file-sha256';

/** What is wrong with a checkpoint folder, in a sentence ("generator/weights.bin is missing"). */
export class CheckpointDamageError extends Error {
  override name = 'CheckpointDamageError';
}

export const CHECKPOINT_STATE_FILE = 'state.json';

const count = z.number().int().min(0);
const fileEntrySchema = z.object({ bytes: count, sha256: z.string().regex(/^[0-9a-f]{64}$/) });

/** state.json of a checkpoint (unknown fields kept: other modules may add their own counters). */
export const checkpointStateSchema = z.looseObject({
  version: z.literal(1),
  step: count,
  completedEpochs: count,
  stepInEpoch: count,
  seed: count,
  rng: z.literal('mulberry32-counter'),
  savedAt: z.string(),
  /** Every other file of the folder (relative path → size and hash); absent in older checkpoints. */
  files: z.record(z.string(), fileEntrySchema).optional(),
});
export type CheckpointFiles = Record<string, z.infer<typeof fileEntrySchema>>;

/** Size and SHA-256 of every file under `dir` (state.json excluded), keyed by its path relative to dir. */
export async function listCheckpointFiles(dir: string): Promise<CheckpointFiles> {
  const files: CheckpointFiles = {};
  for (const path of await walk(dir)) {
    const name = relative(dir, path).split('\\').join('/');
    if (name === CHECKPOINT_STATE_FILE) continue;
    files[name] = { bytes: (await stat(path)).size, sha256: await sha256OfFile(path) };
  }
  return files;
}

export type CheckpointStateFile = z.infer<typeof checkpointStateSchema>;

/** Which listed files a use needs intact (by path relative to the checkpoint folder); default every one. */
export type FileSelection = (name: string) => boolean;

/** The files inside `folders` of a checkpoint (e.g. generator/ and generator-ema/ for drawing samples). */
export const inFolders =
  (...folders: string[]): FileSelection =>
  (name) =>
    folders.some((folder) => name.startsWith(`${folder}/`));

/**
 * Read and check state.json and the files it lists (those `selection` picks: a generator export
 * needs only the generator's); throws CheckpointDamageError saying what is wrong.
 */
export async function readIntactState(dir: string, selection: FileSelection = () => true): Promise<CheckpointStateFile> {
  const state = await readCheckpointState(dir);
  await checkListedFiles(dir, state, selection);
  return state;
}

/** Check the files of `state`'s list that `selection` picks against their size and SHA-256. */
export async function checkListedFiles(dir: string, state: CheckpointStateFile, selection: FileSelection = () => true): Promise<void> {
  for (const [name, expected] of Object.entries(state.files ?? {})) if (selection(name)) await checkFile(dir, name, expected);
}

/** Read and check state.json alone (its file list is not checked); throws CheckpointDamageError. */
export async function readCheckpointState(dir: string): Promise<CheckpointStateFile> {
  let text: string;
  try {
    text = await readFile(join(dir, CHECKPOINT_STATE_FILE), 'utf8');
  } catch (error) {
    throw new CheckpointDamageError(`${CHECKPOINT_STATE_FILE}: ${describeFsError(error)}`);
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    throw new CheckpointDamageError(`${CHECKPOINT_STATE_FILE} is not valid JSON`);
  }
  const parsed = checkpointStateSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new CheckpointDamageError(`${CHECKPOINT_STATE_FILE}: ${issue.path.join('.') || '(top level)'}: ${issue.message}`);
  }
  return parsed.data;
}

async function checkFile(dir: string, name: string, expected: { bytes: number; sha256: string }): Promise<void> {
  const path = join(dir, name);
  let bytes: number;
  try {
    bytes = (await stat(path)).size;
  } catch (error) {
    throw new CheckpointDamageError(errorCode(error) === 'ENOENT' ? `${name} is missing` : `${name}: ${describeFsError(error)}`);
  }
  if (bytes !== expected.bytes) {
    const how = bytes < expected.bytes ? 'truncated' : 'longer than written';
    throw new CheckpointDamageError(`${name} is ${how} (${bytes} of ${expected.bytes} bytes)`);
  }
  let hash: string;
  try {
    hash = await sha256OfFile(path);
  } catch (error) {
    throw new CheckpointDamageError(`${name}: ${describeFsError(error)}`);
  }
  if (hash !== expected.sha256) throw new CheckpointDamageError(`${name} is damaged (its contents changed since it was written)`);
}

async function walk(dir: string): Promise<string[]> {
  const paths: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) paths.push(...(await walk(path)));
    else if (entry.isFile()) paths.push(path);
  }
  return paths.sort();
}
