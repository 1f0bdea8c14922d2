/**
 * Resolving a client-supplied relative path to a file that is really inside
 * an allowed root — the one check behind the studio:// protocol and the
 * server's /files routes. Lexical checks refuse .., absolute paths and odd
 * characters; realpath then catches symlinks that point out of the root.
 */
import { open, realpath, stat, type FileHandle } from 'node:fs/promises';
import { basename, extname, isAbsolute, join, sep } from 'node:path';
import { Readable } from 'node:stream';
import { cannotRead, errorCode } from '../runs';
import { AccessDeniedError, NotFoundError, StudioError } from './errors';

/**
 * The real path of `relPath` under `root`, or AccessDeniedError when it
 * would leave the root (.., absolute, a symlink out) and NotFoundError when
 * no such regular file exists.
 */
export async function resolveInsideRoot(root: string, relPath: string): Promise<string> {
  const segments = relPath.split('/');
  const lexicallyBad =
    relPath.length === 0 ||
    relPath.length > 4096 ||
    isAbsolute(relPath) ||
    /[\\\0]/.test(relPath) ||
    /^[A-Za-z]:/.test(relPath) ||
    segments.some((s) => s === '..' || s === '.' || s === '');
  if (lexicallyBad) throw new AccessDeniedError(`Refused path ${JSON.stringify(relPath)}: expected a plain relative path inside the studio's folders.`);
  let realRoot: string;
  let real: string;
  try {
    realRoot = await realpath(root);
    real = await realpath(join(realRoot, ...segments));
  } catch {
    throw new NotFoundError(`No file ${relPath}.`);
  }
  if (!real.startsWith(realRoot + sep)) {
    throw new AccessDeniedError(`Refused path ${JSON.stringify(relPath)}: it resolves outside the allowed folder.`);
  }
  if (!(await stat(real)).isFile()) throw new NotFoundError(`No file ${relPath}.`);
  return real;
}

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.jsonl': 'application/x-ndjson; charset=utf-8',
  '.csv': 'text/csv; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.ico': 'image/x-icon',
  '.mp4': 'video/mp4',
  '.webm': 'video/webm',
  '.wasm': 'application/wasm',
  '.woff2': 'font/woff2',
  '.txt': 'text/plain; charset=utf-8',
};

/** The Content-Type for a file name (octet-stream when unknown, so nothing is sniffed into HTML). */
export function contentTypeFor(file: string): string {
  return CONTENT_TYPES[extname(file).toLowerCase()] ?? 'application/octet-stream';
}

/**
 * Open `file` (already resolved) for serving, before any header is sent: a file that cannot be
 * read is an error response naming it and the cause ("cannot read samples/x.png: permission
 * denied"), never a 200 whose body then breaks off. `shownAs` is the name the client asked for.
 */
export async function openForServing(file: string, shownAs: string): Promise<{ handle: FileHandle; size: number }> {
  let handle: FileHandle;
  try {
    handle = await open(file, 'r');
  } catch (error) {
    const code = errorCode(error);
    if (code === 'ENOENT') throw new NotFoundError(`No file ${shownAs}.`);
    if (code === 'EACCES' || code === 'EPERM') throw new AccessDeniedError(`${cannotRead(shownAs, error)}.`, 'Check the file\'s permissions.');
    throw new StudioError(`${cannotRead(shownAs, error)}.`);
  }
  try {
    return { handle, size: (await handle.stat()).size };
  } catch (error) {
    await handle.close();
    throw new StudioError(`${cannotRead(shownAs, error)}.`);
  }
}

/** A fetch Response streaming `file` (already resolved), with type and nosniff headers. */
export async function fileResponse(file: string, extraHeaders: Record<string, string> = {}, shownAs = basename(file)): Promise<Response> {
  const { handle, size } = await openForServing(file, shownAs);
  const body = Readable.toWeb(handle.createReadStream()) as unknown as ReadableStream<Uint8Array>;
  return new Response(body, {
    status: 200,
    headers: {
      'Content-Type': contentTypeFor(file),
      'Content-Length': String(size),
      'X-Content-Type-Options': 'nosniff',
      'Cache-Control': 'no-cache',
      ...extraHeaders,
    },
  });
}
