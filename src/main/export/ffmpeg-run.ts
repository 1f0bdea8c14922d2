/**
 * Running ffmpeg as a child process with progress and cancel. Progress comes
 * from `-progress pipe:1` (key=value lines on stdout); stderr is kept only as
 * a tail for the error message.
 */
import { spawn } from 'node:child_process';
import { ExportCancelledError, ExportError, ffmpegDiskFull } from './errors';

export interface RunFfmpegOptions {
  ffmpegPath: string;
  /** Frames the output will have, so progress can be a fraction. */
  totalFrames?: number;
  onFrame?: (frame: number) => void;
  signal?: AbortSignal;
}

const STDERR_TAIL = 4000;

/** Run ffmpeg with `args` (inputs, filters, output); resolves when it exits 0. */
export function runFfmpeg(args: string[], options: RunFfmpegOptions): Promise<void> {
  const { signal } = options;
  if (signal?.aborted) return Promise.reject(new ExportCancelledError());
  return new Promise((resolve, reject) => {
    const child = spawn(options.ffmpegPath, ['-hide_banner', '-nostdin', '-y', '-progress', 'pipe:1', '-nostats', ...args], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    let pending = '';
    let cancelled = false;
    const onAbort = (): void => {
      cancelled = true;
      child.kill('SIGKILL');
    };
    signal?.addEventListener('abort', onAbort, { once: true });

    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (chunk: string) => {
      pending += chunk;
      const lines = pending.split('\n');
      pending = lines.pop() ?? '';
      for (const line of lines) {
        const match = /^frame=(\d+)/.exec(line.trim());
        if (match) options.onFrame?.(Number(match[1]));
      }
    });
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (chunk: string) => {
      stderr = (stderr + chunk).slice(-STDERR_TAIL);
    });
    child.on('error', (error) => {
      signal?.removeEventListener('abort', onAbort);
      reject(new ExportError(`Could not start ffmpeg (${options.ffmpegPath}): ${error.message}`, 'Set FFMPEG_PATH to a working ffmpeg.'));
    });
    child.on('close', (code, killedBy) => {
      signal?.removeEventListener('abort', onAbort);
      if (cancelled) return reject(new ExportCancelledError());
      if (code === 0) return resolve();
      // Not an encoder problem: the encoder hint would send the user the wrong way.
      if (/No space left on device|Disk quota exceeded/i.test(stderr)) return reject(ffmpegDiskFull());
      const lastLines = stderr.trim().split('\n').slice(-6).join('\n');
      reject(
        new ExportError(
          `ffmpeg failed (${killedBy ? `killed by ${killedBy}` : `exit code ${code}`}):\n${lastLines}`,
          'Check that the ffmpeg in use has the needed encoder (ffmpeg -encoders), or set FFMPEG_PATH to another ffmpeg.',
        ),
      );
    });
  });
}

/** Encoders this ffmpeg offers, e.g. 'libx264', 'libvpx-vp9' (cached per binary). */
const encoderCache = new Map<string, Promise<Set<string>>>();
export function listEncoders(ffmpegPath: string): Promise<Set<string>> {
  let cached = encoderCache.get(ffmpegPath);
  if (!cached) {
    cached = new Promise((resolve, reject) => {
      const child = spawn(ffmpegPath, ['-hide_banner', '-encoders'], { stdio: ['ignore', 'pipe', 'ignore'] });
      let out = '';
      child.stdout.setEncoding('utf8');
      child.stdout.on('data', (chunk: string) => (out += chunk));
      child.on('error', reject);
      child.on('close', () => {
        const names = out
          .split('\n')
          .map((line) => /^\s*[VAS][A-Z.]{5}\s+(\S+)/.exec(line)?.[1])
          .filter((name): name is string => Boolean(name));
        resolve(new Set(names));
      });
    });
    encoderCache.set(ffmpegPath, cached);
  }
  return cached;
}
