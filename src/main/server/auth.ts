/**
 * Who may talk to `serve`: whoever holds the random token (query parameter
 * or the HttpOnly cookie set when the page was first opened with it), from a
 * Host that names this server (a loopback server refuses other Host names,
 * which defeats DNS rebinding), and — for sockets and uploads — from a page
 * of this server's own origin.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { chmod, mkdir, readFile, rename, stat, writeFile } from 'node:fs/promises';
import type { IncomingMessage } from 'node:http';
import { dirname, join, resolve } from 'node:path';

/** A fresh 48-hex-digit token (192 bits). */
export function newToken(): string {
  return randomBytes(24).toString('hex');
}

const TOKEN_SHAPE = /^[0-9a-f]{48}$/;

/** Where the token of `runsRoot` is kept: one file per runs folder, under the studio's own folder (not the runs folder, which people share). */
export function tokenFileFor(studioHome: string, runsRoot: string): string {
  const key = createHash('sha256').update(resolve(runsRoot)).digest('hex').slice(0, 16);
  return join(studioHome, 'serve-tokens', `${key}.token`);
}

/**
 * The token `serve` keeps across restarts of the same runs folder, so a
 * bookmarked URL keeps working (as Jupyter keeps its config). The file is
 * readable by this user only (0600, folder 0700); a file others could read,
 * a malformed one, or `rotate` gives a fresh token. `replaced` says a token
 * existed before (so earlier URLs stop working); a first serve replaces none.
 */
export async function persistentToken(file: string, options: { rotate?: boolean } = {}): Promise<{ token: string; reused: boolean; replaced: boolean }> {
  let replaced = false;
  try {
    const [text, info] = await Promise.all([readFile(file, 'utf8'), stat(file)]);
    replaced = true;
    const token = text.trim();
    // Group/other bits set: someone else may have read it, so it is not a secret any more.
    const safe = TOKEN_SHAPE.test(token) && (process.platform === 'win32' || (info.mode & 0o077) === 0);
    if (safe && !options.rotate) return { token, reused: true, replaced: false };
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  const token = newToken();
  await mkdir(dirname(file), { recursive: true, mode: 0o700 });
  const temp = `${file}.${process.pid}.tmp`;
  await writeFile(temp, token + '\n', { mode: 0o600 });
  await chmod(temp, 0o600); // the umask may have narrowed it further, never widened; this makes it exact
  await rename(temp, file);
  return { token, reused: false, replaced };
}

/** True for addresses only this machine can reach. */
export function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || host.startsWith('127.');
}

export type AuthResult = { ok: true; viaQuery: boolean } | { ok: false; status: 401 | 403; reason: string };

export interface Guard {
  cookieName: string;
  /** Check Host and token of any request. */
  check(request: IncomingMessage): AuthResult;
  /** Check Host, Origin and token of a WebSocket upgrade or a state-changing request. */
  checkWithOrigin(request: IncomingMessage): AuthResult;
  /** The Set-Cookie header value that lets the page's later requests (images, uploads) through. */
  cookie(): string;
}

export function createGuard(options: { token: string; port: number; bindHost: string }): Guard {
  const { token, port, bindHost } = options;
  const cookieName = `gan-studio-token-${port}`;
  const bound = bindHost.includes(':') ? `[${bindHost}]:${port}` : `${bindHost}:${port}`;
  const allowedHosts = isLoopback(bindHost) ? new Set([bound, `127.0.0.1:${port}`, `localhost:${port}`, `[::1]:${port}`]) : undefined;

  const hostOk = (request: IncomingMessage): boolean => {
    const host = request.headers.host?.toLowerCase();
    return host !== undefined && (allowedHosts === undefined || allowedHosts.has(host));
  };

  const check = (request: IncomingMessage): AuthResult => {
    if (!hostOk(request)) return { ok: false, status: 403, reason: 'This server only answers to its own address.' };
    const url = new URL(request.url ?? '/', 'http://placeholder');
    const fromQuery = url.searchParams.get('token');
    const fromCookie = readCookie(request.headers.cookie, cookieName);
    if (fromQuery === null && fromCookie === undefined) {
      return { ok: false, status: 401, reason: 'Missing token: open the URL that `gan-studio serve` printed (it ends in ?token=…).' };
    }
    if (fromQuery !== null && sameSecret(fromQuery, token)) return { ok: true, viaQuery: true };
    if (fromCookie !== undefined && sameSecret(fromCookie, token)) return { ok: true, viaQuery: false };
    return { ok: false, status: 403, reason: 'Wrong token: open the URL that `gan-studio serve` printed for this run of the server.' };
  };

  return {
    cookieName,
    check,
    checkWithOrigin(request) {
      const origin = request.headers.origin;
      if (!origin || origin !== `http://${request.headers.host}`) {
        return { ok: false, status: 403, reason: `Refused origin ${origin ?? '(none)'}: only pages of this server may connect.` };
      }
      return check(request);
    },
    cookie: () => `${cookieName}=${token}; HttpOnly; SameSite=Strict; Path=/`,
  };
}

function readCookie(header: string | undefined, name: string): string | undefined {
  for (const part of header?.split(';') ?? []) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return undefined;
}

/** Constant-time comparison, so response timing does not leak the token. */
function sameSecret(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}
