/**
 * Every export is written under a temporary name in the destination folder
 * and renamed into place only when complete, so a cancelled or failed export
 * never leaves a partial file (and an older good file survives until then).
 */
import { randomBytes } from 'node:crypto';
import { mkdir, readdir, rename, rm, stat } from 'node:fs/promises';
import { basename, dirname, extname, join } from 'node:path';
import { ExportInputError } from './errors';

const PARTIAL = '.partial-';

function tempSibling(target: string, keepExtension: boolean): string {
  const ext = keepExtension ? extname(target) : '';
  const stem = basename(target, ext);
  // The extension stays last: ffmpeg picks the container from it.
  return join(dirname(target), `.${stem}${PARTIAL}${process.pid}-${randomBytes(4).toString('hex')}${ext}`);
}

/**
 * Remove the temporary files and folders a killed writer left behind (a writer that returns
 * removes its own): `target`'s own, or with `{ inside: true }` every one in the folder `target`.
 */
export async function removeAbandonedTemps(target: string, { inside = false } = {}): Promise<void> {
  const dir = inside ? target : dirname(target);
  const prefixes = inside ? ['.'] : [`.${basename(target, extname(target))}${PARTIAL}`, `.${basename(target)}${PARTIAL}`];
  for (const name of await readdir(dir).catch(() => [] as string[])) {
    if (name.includes(PARTIAL) && prefixes.some((prefix) => name.startsWith(prefix))) await rm(join(dir, name), { recursive: true, force: true });
  }
}

/** Write a file via `write(tempPath)`, then rename it to `target`. */
export async function writeFileAtomically<T>(target: string, write: (tempPath: string) => Promise<T>): Promise<T> {
  await mkdir(dirname(target), { recursive: true });
  const temp = tempSibling(target, true);
  try {
    const result = await write(temp);
    await rename(temp, target);
    return result;
  } finally {
    await rm(temp, { force: true });
  }
}

/**
 * Write several files into `outDir` as one export (charts, CSV): `write(stageDir)` writes them
 * into a temp folder inside outDir and returns their names; only when all are written are they
 * moved into place. A failure (a full disk, a cancel) leaves none of them — and removes outDir
 * too when this call created it.
 */
export async function writeFilesAtomically(outDir: string, write: (stageDir: string) => Promise<string[]>): Promise<string[]> {
  const created = await stat(outDir).then(
    () => false,
    () => true,
  );
  await mkdir(outDir, { recursive: true });
  const stage = tempSibling(join(outDir, 'export'), false);
  try {
    await mkdir(stage);
    const names = await write(stage);
    for (const name of names) await rename(join(stage, name), join(outDir, name));
    return names.map((name) => join(outDir, name));
  } catch (error) {
    if (created) await rm(outDir, { recursive: true, force: true });
    throw error;
  } finally {
    await rm(stage, { recursive: true, force: true });
  }
}

async function isEmptyOrMissing(dir: string): Promise<boolean> {
  try {
    return (await readdir(dir)).length === 0;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return true;
    throw error;
  }
}

/**
 * Build a folder via `write(tempDir)`, then move it to `target`. An existing
 * `target` is replaced only when it is empty or `isOurs(target)` says a
 * previous export made it — a user's unrelated folder is never overwritten.
 */
export async function writeDirAtomically<T>(
  target: string,
  write: (tempDir: string) => Promise<T>,
  isOurs: (existing: string) => Promise<boolean>,
): Promise<T> {
  const exists = await stat(target).then(
    (s) => s,
    () => undefined,
  );
  if (exists && !exists.isDirectory()) throw new ExportInputError(`Expected a folder for the output, got a file: ${target}`, 'Choose a new folder name.');
  if (exists && !(await isEmptyOrMissing(target)) && !(await isOurs(target))) {
    throw new ExportInputError(
      `The output folder ${target} already holds other files.`,
      'Choose an empty or new folder; only a folder written by a previous export of the same kind is replaced.',
    );
  }
  await mkdir(dirname(target), { recursive: true });
  const temp = tempSibling(target, false);
  const old = tempSibling(target, false);
  try {
    await mkdir(temp);
    const result = await write(temp);
    if (exists) await rename(target, old);
    try {
      await rename(temp, target);
    } catch (error) {
      // Put the previous export back rather than deleting it below.
      if (exists) await rename(old, target);
      throw error;
    }
    return result;
  } finally {
    await rm(temp, { recursive: true, force: true });
    await rm(old, { recursive: true, force: true });
  }
}
