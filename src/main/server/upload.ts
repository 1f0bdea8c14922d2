/**
 * POST /api/upload?name=<file name>: the browser's way to get a dataset
 * onto the machine that trains. The body is streamed (never buffered) into
 * its own folder under the uploads root and capped in size; the answer is
 * the server-side path, which the page then passes to importDataset.
 * An upload lives only until its import ends (imported or failed: the
 * dataset cache holds the images then); folders left by a server that died
 * are removed at start, and the whole folder is capped too.
 */
import { createWriteStream, existsSync } from 'node:fs';
import { mkdir, readdir, rm, stat } from 'node:fs/promises';
import type { IncomingMessage } from 'node:http';
import { randomBytes } from 'node:crypto';
import { basename, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { StudioError } from '../studio-service/errors';

/** An upload refused for its size (413) or its request shape (400). */
export class UploadError extends StudioError {
  override name = 'UploadError';
  constructor(
    readonly status: 400 | 413,
    message: string,
    hint?: string,
  ) {
    super(message, hint);
  }
}

/** Longest upload name in UTF-8 bytes: file systems cap a name at 255 bytes, not characters. */
const MAX_NAME_BYTES = 200;

/**
 * Keep the name's extension (importers detect .zip/.tar.gz/.npy by it) and its letters in any
 * script and spaces (the dataset is named after the file, as the CLI names it), but nothing
 * path-like, no control or shell-special characters.
 */
export function safeUploadName(name: string | null): string {
  const base = (name ?? '').normalize('NFC').split(/[\\/]/).pop() ?? '';
  let clean = base.replace(/[^\p{L}\p{M}\p{N} ._()-]+/gu, '_').replace(/ +$/, '');
  // Cut from the front so the extension stays (whole code points only).
  while (Buffer.byteLength(clean) > MAX_NAME_BYTES) clean = [...clean].slice(1).join('');
  // No leading dot: importers skip hidden files.
  return clean.replace(/^[._ ]+/, '') || 'upload.bin';
}

export interface UploadLimits {
  /** Largest single upload. */
  maxUploadBytes: number;
  /** Largest total of uploads waiting for (or in) their import. */
  maxTotalBytes: number;
}

/** `?batch=` names the folder several uploads share: 16–64 hex digits the page made up. */
const BATCH = /^[0-9a-f]{16,64}$/;

/** A batch's images land in a sub-folder of this name: the import names the dataset after its folder. */
export const BATCH_DATASET_FOLDER = 'dropped images';

/** 1.5 KB, 12.3 MB, 2048 MB: sizes in messages. */
const size = (bytes: number): string => (bytes < 2 ** 20 ? `${(bytes / 1024).toFixed(1)} KB` : `${Math.round(bytes / 2 ** 20)} MB`);

/** The uploads folder: one sub-folder per upload, named <server pid>-<random> so a restart knows which are orphans. */
export class UploadStore {
  constructor(
    readonly root: string,
    private readonly limits: UploadLimits,
  ) {}

  /** Remove uploads whose server process is gone (killed mid-import); returns how many. */
  async removeStale(): Promise<number> {
    let removed = 0;
    for (const name of await this.folders()) {
      const pid = Number(/^(\d+)-/.exec(name)?.[1]);
      if (pid !== process.pid && isAlive(pid)) continue;
      await rm(join(this.root, name), { recursive: true, force: true });
      removed++;
    }
    return removed;
  }

  /**
   * Stream the request body to <root>/<pid-random>/<name> — or, given `?batch=`, to the folder that
   * batch shares, <root>/<pid-batch>/dropped images/ (loose images that become one dataset, named
   * after that folder); returns the file's path and its folder.
   */
  async receive(request: IncomingMessage): Promise<{ path: string; folder: string }> {
    const url = new URL(request.url ?? '/', 'http://placeholder');
    const batch = url.searchParams.get('batch');
    if (batch !== null && !BATCH.test(batch)) throw new UploadError(400, 'The upload batch must be 16–64 hex digits.', 'This is a bug in the page; reload it.');
    const declared = Number(request.headers['content-length'] ?? NaN);
    const { maxUploadBytes, maxTotalBytes } = this.limits;
    const tooBig = (): UploadError =>
      new UploadError(413, `The upload is larger than the server's limit of ${size(maxUploadBytes)}.`, 'Copy the file to the server and type its path instead, or restart serve with a larger --max-upload-mb.');
    if (declared > maxUploadBytes) throw tooBig();
    const held = await this.heldBytes();
    const room = maxTotalBytes - held;
    const folderFull = (): UploadError =>
      new UploadError(
        413,
        `The uploads folder ${this.root} would exceed its cap of ${size(maxTotalBytes)}: ${size(held)} of other uploads are waiting for their import.`,
        'Wait for the imports in progress to finish (each upload is removed once imported), or copy the file to the server and type its path.',
      );
    if (declared > room || room <= 0) throw folderFull();
    const upload = join(this.root, `${process.pid}-${batch ?? randomBytes(8).toString('hex')}`);
    const dir = batch === null ? upload : join(upload, BATCH_DATASET_FOLDER);
    const file = join(dir, safeUploadName(url.searchParams.get('name')));
    await mkdir(dir, { recursive: true });
    let received = 0;
    const cap = new Transform({
      transform(chunk: Buffer, _encoding, done) {
        received += chunk.length;
        done(received > maxUploadBytes ? tooBig() : received > room ? folderFull() : null, chunk);
      },
    });
    try {
      await pipeline(request, cap, createWriteStream(file, { flags: 'wx' }));
    } catch (error) {
      const clash = (error as NodeJS.ErrnoException).code === 'EEXIST';
      // A batch folder holds the other files too: remove only this one (a clash of names leaves the first file alone).
      if (batch === null) await rm(upload, { recursive: true, force: true });
      else if (!clash) await rm(file, { force: true });
      if (clash) throw new UploadError(400, `Two files are named ${basename(file)}.`, 'Rename one of them, then drop them again.');
      throw error instanceof UploadError ? error : new UploadError(400, `The upload was interrupted: ${(error as Error).message}`, 'Try again.');
    }
    if (received === 0) {
      await rm(batch === null ? upload : file, { recursive: true, force: true });
      throw new UploadError(400, 'The upload was empty.', 'Choose a non-empty file.');
    }
    return { path: file, folder: dir };
  }

  /** An import of `source` ended: when it is an upload, remove it (the dataset cache holds its images now). */
  async release(source: string): Promise<void> {
    const folder = this.folderOf(source);
    if (folder) await rm(join(this.root, folder), { recursive: true, force: true });
  }

  /** Why an import of `source` failed when it names an upload already removed (a re-import at another size), else undefined. */
  explainMissing(source: string): StudioError | undefined {
    if (!this.folderOf(source) || existsSync(source)) return undefined;
    return new StudioError(
      `The uploaded file ${basename(source)} was removed once its import finished (the server keeps uploads only until then).`,
      'Upload the file again to import it with other settings.',
    );
  }

  /** The upload folder `path` lies in, or undefined when it is not inside the uploads root. */
  private folderOf(path: string): string | undefined {
    const rel = relative(resolve(this.root), resolve(path));
    if (rel === '' || rel === '..' || rel.startsWith(`..${sep}`) || isAbsolute(rel)) return undefined;
    return rel.split(sep)[0];
  }

  private async folders(): Promise<string[]> {
    try {
      return (await readdir(this.root, { withFileTypes: true })).filter((e) => e.isDirectory()).map((e) => e.name);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw error;
    }
  }

  /** Bytes of every upload on disk (finished or still arriving), a batch's sub-folder included. */
  private async heldBytes(): Promise<number> {
    let total = 0;
    for (const name of await this.folders()) total += await filesBytes(join(this.root, name), 1);
    return total;
  }
}

/** Bytes of the regular files in `dir`, looking `depth` folders further down. */
async function filesBytes(dir: string, depth: number): Promise<number> {
  let total = 0;
  for (const entry of await readdir(dir, { withFileTypes: true }).catch(() => [])) {
    const path = join(dir, entry.name);
    if (entry.isFile()) total += (await stat(path).catch(() => ({ size: 0 }))).size;
    else if (entry.isDirectory() && depth > 0) total += await filesBytes(path, depth - 1);
  }
  return total;
}

/** True when a process with this id exists (EPERM: it does, owned by someone else). */
function isAlive(pid: number): boolean {
  if (!Number.isSafeInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
