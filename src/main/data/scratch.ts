/**
 * Scratch folders in the cache root: `.import-<id>-p<pid>-XXXXXX` (a dataset
 * being written) and `.extract-p<pid>-XXXXXX` (an archive being unpacked).
 * The owner's pid is in the name so that a later import can tell the
 * leftovers of a killed import (SIGKILL, power loss) from the folders of an
 * import still running in another process, and remove only the former.
 */
import { mkdtemp, readdir, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';

/** Scratch names from before the pid was recorded are removed once this old. */
const LEGACY_STALE_MS = 60 * 60 * 1000;

const WITH_PID = /^\.(?:import-.+|extract)-p(\d+)-[^-]+$/;
const LEGACY = /^\.(?:import|extract)-/;

/** Creates a scratch folder `<root>/.<prefix>-p<pid>-XXXXXX` owned by this process. */
export function makeScratchDir(root: string, prefix: string): Promise<string> {
  return mkdtemp(join(root, `.${prefix}-p${process.pid}-`));
}

/** True when a process with this pid exists (EPERM: it exists but belongs to someone else). */
function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

async function isStale(root: string, name: string, now: number): Promise<boolean> {
  const owner = WITH_PID.exec(name);
  if (owner) return !isAlive(Number(owner[1]));
  if (!LEGACY.test(name)) return false;
  try {
    return now - (await stat(join(root, name))).mtimeMs > LEGACY_STALE_MS;
  } catch {
    return false;
  }
}

/**
 * Removes the scratch folders of imports whose process is gone. Folders of
 * live processes are kept (even if their pid was reused: it is cleaned once
 * that process ends). Returns the names removed.
 */
export async function removeStaleScratch(root: string): Promise<string[]> {
  let names: string[];
  try {
    names = await readdir(root);
  } catch {
    return [];
  }
  const now = Date.now();
  const removed: string[] = [];
  for (const name of names) {
    if (!(await isStale(root, name, now))) continue;
    await rm(join(root, name), { recursive: true, force: true }).then(
      () => removed.push(name),
      () => undefined,
    );
  }
  return removed;
}
