/**
 * Messages over the one MessagePort between the desktop app's GPU host page
 * (a hidden, sandboxed window whose trainer uses Chromium's own WebGPU) and
 * the main process. The page trains; the main process does its file work,
 * inside the run's two folders only (docs/backends.md, "Inside Electron").
 */
import type { GpuWindowFinding } from './gpu-window';
import type { TrainerCommand, TrainerEvent } from './trainer-protocol';

/** The page sees the run folder and the dataset folder under these fixed POSIX names. */
export const GPU_HOST_ROOTS = { run: '/run', dataset: '/dataset' } as const;

/** The channel the preload forwards the port on, and the page listens for. */
export const GPU_HOST_PORT_CHANNEL = 'gan-studio:gpu-host-port';

/** File work the page asks of the host (see gpu-host/host-files.ts for each one's arguments). */
export const GPU_HOST_OPS = [
  'readFile',
  'writeFile',
  'appendFile',
  'copyFile',
  'rename',
  'rm',
  'mkdir',
  'stat',
  'readdir',
  'handle.open',
  'handle.write',
  'handle.writeFile',
  'handle.truncate',
  'handle.sync',
  'handle.close',
  'handle.readRecords',
  'appender.open',
  'appender.write',
  'appender.close',
  'sha256',
  'png.encode',
  'png.size',
  'lock.acquire',
  'lock.release',
] as const;
export type GpuHostOp = (typeof GPU_HOST_OPS)[number];

/** Host → page. */
export type HostToPage =
  /** First message: who the page trains for (temp names carry the pid; TensorBoard files the host name). */
  | { kind: 'hello'; pid: number; hostname: string }
  | { kind: 'command'; command: TrainerCommand }
  /** Instead of a start: report the adapter and run the webgpu backend's smoke op, then expect to be closed. */
  | { kind: 'probe' }
  | { kind: 'reply'; id: number; ok: true; value: unknown }
  | { kind: 'reply'; id: number; ok: false; error: { message: string; code?: string } };

/** Page → host. `post` asks without waiting for a reply (ordered appends). */
export type PageToHost =
  | { kind: 'event'; event: TrainerEvent }
  | { kind: 'probed'; finding: GpuWindowFinding }
  | { kind: 'call'; id: number; op: GpuHostOp; args: unknown[] }
  | { kind: 'post'; op: GpuHostOp; args: unknown[] }
  /** The session ended; the host closes the window (code as a trainer process's exit code). */
  | { kind: 'exit'; code: number };
