/**
 * POST /api/upload?name=<file name>: the browser's way to get a dataset
 * onto the machine that trains. The body is streamed (never buffered) into
 * its own folder under the uploads root and capped in size; the answer is
 * the server-side path, which the page then passes to importDataset.
 */
import { createWriteStream } from 'node:fs';
import { mkdir, rm } from 'node:fs/promises';
import type { IncomingMessage } from 'node:http';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
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

/** Keep the name's extension (importers detect .zip/.tar.gz/.npy by it) but nothing path-like. */
export function safeUploadName(name: string | null): string {
  const base = (name ?? '').split(/[\\/]/).pop() ?? '';
  const clean = base.replace(/[^A-Za-z0-9._-]+/g, '_').replace(/^[._]+/, '').slice(-200);
  return clean || 'upload.bin';
}

/** `?batch=` names the folder several uploads share (loose images that become one dataset): 16–64 hex digits the page made up. */
const BATCH = /^[0-9a-f]{16,64}$/;

/**
 * Stream the request body to <uploadsRoot>/<random or batch>/<name>; returns
 * the file's path and its folder (the folder is what a batch imports).
 */
export async function receiveUpload(request: IncomingMessage, uploadsRoot: string, maxBytes: number): Promise<{ path: string; folder: string }> {
  const url = new URL(request.url ?? '/', 'http://placeholder');
  const batch = url.searchParams.get('batch');
  if (batch !== null && !BATCH.test(batch)) throw new UploadError(400, 'The upload batch must be 16–64 hex digits.', 'This is a bug in the page; reload it.');
  const declared = Number(request.headers['content-length'] ?? NaN);
  const tooBig = (): UploadError =>
    new UploadError(413, `The upload is larger than the server's limit of ${Math.round(maxBytes / 2 ** 20)} MB.`, 'Copy the file to the server and type its path instead, or restart serve with a larger --max-upload-mb.');
  if (declared > maxBytes) throw tooBig();
  const dir = join(uploadsRoot, batch ?? randomBytes(8).toString('hex'));
  const file = join(dir, safeUploadName(url.searchParams.get('name')));
  await mkdir(dir, { recursive: true });
  let received = 0;
  const cap = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      received += chunk.length;
      done(received > maxBytes ? tooBig() : null, chunk);
    },
  });
  try {
    await pipeline(request, cap, createWriteStream(file, { flags: 'wx' }));
  } catch (error) {
    // A batch folder holds the other files too: remove only this one (a name clash, 'wx', leaves the first file alone).
    if (batch === null) await rm(dir, { recursive: true, force: true });
    else if ((error as NodeJS.ErrnoException).code !== 'EEXIST') await rm(file, { force: true });
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') throw new UploadError(400, `Two files are named ${safeUploadName(url.searchParams.get('name'))}.`, 'Rename one of them, then drop them again.');
    throw error instanceof UploadError ? error : new UploadError(400, `The upload was interrupted: ${(error as Error).message}`, 'Try again.');
  }
  if (received === 0) {
    await rm(batch === null ? dir : file, { recursive: true, force: true });
    throw new UploadError(400, 'The upload was empty.', 'Choose a non-empty file.');
  }
  return { path: file, folder: dir };
}
