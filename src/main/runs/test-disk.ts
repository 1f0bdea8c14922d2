/**
 * Test support: a real, tiny disk (a tmpfs mount) that tests fill up to get
 * genuine ENOSPC errors from every write path. Mounting needs root; where it
 * is not allowed, `mountTinyDisk` resolves undefined and the test is skipped —
 * with a loud banner (`tinyDiskForTests`), and under CI=true not at all: CI
 * must run them, as it runs the browser and webgpu suites.
 */
import { execFileSync } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface TinyDisk {
  dir: string;
  /** Fill every free byte with a filler file (writes until ENOSPC). */
  fill(): void;
  /** Delete the filler again. */
  free(): void;
  unmount(): void;
}

/** Mount a tmpfs of `sizeKiB` on a fresh folder, or undefined when mounting is not allowed here. */
export function mountTinyDisk(sizeKiB: number): TinyDisk | undefined {
  const dir = mkdtempSync(join(tmpdir(), 'tiny-disk-'));
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${sizeKiB}k`, 'tmpfs', dir], { stdio: 'ignore' });
  } catch {
    rmSync(dir, { recursive: true, force: true });
    return undefined;
  }
  const filler = join(dir, 'filler');
  return {
    dir,
    fill() {
      const fd = openSync(filler, 'a');
      try {
        // Big chunks first, then smaller ones into what is left.
        for (const size of [1 << 16, 1 << 12, 1 << 8, 1]) {
          const chunk = Buffer.alloc(size, 1);
          try {
            for (;;) writeSync(fd, chunk);
          } catch (error) {
            if ((error as NodeJS.ErrnoException).code !== 'ENOSPC') throw error;
          }
        }
      } finally {
        closeSync(fd);
      }
    },
    free: () => rmSync(filler, { force: true }),
    unmount() {
      execFileSync('umount', [dir], { stdio: 'ignore' });
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export type DiskTestAvailability = { run: true } | { run: false; banner: string };

/**
 * What to do when the tiny disk could (not) be mounted for `what` (the tests that need it).
 * @throws Error under CI=true when it could not.
 */
export function diskTestAvailability(mounted: boolean, what: string, env: NodeJS.ProcessEnv): DiskTestAvailability {
  if (mounted) return { run: true };
  const reason = 'a tmpfs could not be mounted (mount -t tmpfs needs root, or CAP_SYS_ADMIN in a container)';
  const fix = 'run the tests as root, as .ci/run does';
  if (env.CI === 'true') throw new Error(`The full-disk tests (${what}) cannot run: ${reason}. CI must run them: ${fix}.`);
  const line = '!'.repeat(78);
  return { run: false, banner: [line, `!! DISK-FULL SKIPPED: ${what} did not run.`, `!! Why: ${reason}. Fix: ${fix}.`, line].join('\n') };
}

/** A tiny disk for the full-disk tests of `what`, or undefined — said with a banner (and refused under CI=true). */
export function tinyDiskForTests(sizeKiB: number, what: string, env: NodeJS.ProcessEnv = process.env): TinyDisk | undefined {
  const disk = mountTinyDisk(sizeKiB);
  const availability = diskTestAvailability(disk !== undefined, what, env);
  if (!availability.run) console.warn(availability.banner);
  return disk;
}
