/**
 * The two Node globals the trainer's modules use, for the GPU host page:
 * Buffer (the `buffer` package) and a `process` with the host's pid (temp
 * file names carry it) and an empty environment. Imported first.
 */
import { Buffer } from 'buffer';

const holder = globalThis as unknown as { Buffer: typeof Buffer; process: { pid: number; env: Record<string, string | undefined>; versions: Record<string, string>; platform: string; cwd(): string } };
holder.Buffer = Buffer;
holder.process = { pid: 0, env: {}, versions: {}, platform: 'browser', cwd: () => '/' };

/** Temp names in the run folder carry the main process's pid, as a trainer process's carry its own. */
export function setHostPid(pid: number): void {
  holder.process.pid = pid;
}

/**
 * The trainer yields to its event loop between steps with setImmediate (so a
 * pause or stop gets in); pages have none, and setTimeout(0) is clamped to
 * 4 ms once nested. A message to itself is the page's immediate.
 */
const immediates: (() => void)[] = [];
const wake = new MessageChannel();
wake.port1.onmessage = () => immediates.shift()?.();
(globalThis as unknown as { setImmediate(callback: () => void): void }).setImmediate = (callback) => {
  immediates.push(callback);
  wake.port2.postMessage(null);
};
