import { spawnSync } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { acquireRunLock, activeRunLock, RUN_LOCK_FILE } from './run-lock';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'run-lock-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** The pid of a process that has already exited. */
function deadPid(): number {
  const child = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
  return Number(child.stdout);
}

describe('run lock', () => {
  it('lets one trainer hold a run at a time and names the holder', async () => {
    const lock = await acquireRunLock(dir);
    expect(await activeRunLock(dir)).toMatchObject({ pid: process.pid });
    await expect(acquireRunLock(dir)).rejects.toThrow(new RegExp(`already being trained \\(process ${process.pid} on .*delete .*${RUN_LOCK_FILE}`));
    await lock.release();
    await lock.release(); // idempotent
    expect(await activeRunLock(dir)).toBeUndefined();
    const again = await acquireRunLock(dir);
    await again.release();
  });

  it('takes over the lock of a killed trainer, and a dead lock holder cannot remove the new one', async () => {
    const file = join(dir, RUN_LOCK_FILE);
    await writeFile(file, JSON.stringify({ pid: deadPid(), host: hostname(), startedAt: 'then' }));
    expect(await activeRunLock(dir)).toBeUndefined();
    const lock = await acquireRunLock(dir);
    expect(JSON.parse(await readFile(file, 'utf8'))).toMatchObject({ pid: process.pid });
    await lock.release();
  });

  it('treats an unreadable lock as stale and another host\'s as held', async () => {
    const file = join(dir, RUN_LOCK_FILE);
    await writeFile(file, '');
    const lock = await acquireRunLock(dir);
    await lock.release();
    await writeFile(file, JSON.stringify({ pid: 1, host: 'another-machine', startedAt: 'then' }));
    await expect(acquireRunLock(dir)).rejects.toThrow(/process 1 on another-machine/);
    await rm(file);
  });
});
