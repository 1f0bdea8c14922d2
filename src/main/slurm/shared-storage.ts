/**
 * Runs and datasets must be on storage every compute node sees (a home or
 * project folder on NFS, Lustre, GPFS…): a job on another node writes its run
 * folder and reads its dataset there. The studio cannot prove a folder is
 * shared, but it can tell when one is surely node-local: a temp folder, or a
 * memory file system.
 */
import { statfs } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { resolve, sep } from 'node:path';

const NODE_LOCAL_PREFIXES = ['/tmp', '/var/tmp', '/dev/shm', '/run', '/scratch/local', '/local'];
/** statfs type of tmpfs and ramfs: memory of this machine only. */
const MEMORY_FS_TYPES = new Set([0x01021994, 0x858458f6]);

/** Why `path` is probably not on the nodes' shared storage, or undefined. */
export async function nodeLocalReason(path: string, env: NodeJS.ProcessEnv = process.env): Promise<string | undefined> {
  const absolute = resolve(path);
  const prefixes = [...NODE_LOCAL_PREFIXES, tmpdir(), env.TMPDIR].filter((prefix): prefix is string => Boolean(prefix));
  const under = prefixes.find((prefix) => absolute === prefix || absolute.startsWith(prefix.endsWith(sep) ? prefix : prefix + sep));
  if (under) return `it is under ${under}, a folder each machine keeps for itself`;
  const type = await statfs(absolute).then(
    (stats) => stats.type,
    () => undefined,
  );
  if (type !== undefined && MEMORY_FS_TYPES.has(type)) return "it is on a memory file system (tmpfs) of this machine";
  return undefined;
}

/** Warnings for a Slurm submission: the runs folder and each dataset folder that looks node-local. */
export async function sharedStorageWarnings(folders: { label: string; path: string }[]): Promise<string[]> {
  const warnings: string[] = [];
  for (const { label, path } of folders) {
    const reason = await nodeLocalReason(path);
    if (reason) {
      warnings.push(
        `The ${label} ${path} may not be visible to the compute nodes: ${reason}. Jobs on other nodes would not find it; use a folder on shared storage (your home or project folder).`,
      );
    }
  }
  return warnings;
}
