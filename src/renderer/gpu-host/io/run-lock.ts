/**
 * The GPU host page's run lock (main: runs/run-lock.ts). The page is not a
 * process another trainer could check for life, so the main process takes
 * the lock in its own name, and lets it go when the page ends or dies.
 */
import { call } from '../host-call';

export interface RunLock {
  release(): Promise<void>;
}

export async function acquireRunLock(runDir: string): Promise<RunLock> {
  await call('lock.acquire', runDir);
  return { release: () => call('lock.release') };
}
