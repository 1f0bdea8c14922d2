/**
 * Test support: a real, tiny disk (a tmpfs mount) that tests fill up to get
 * genuine ENOSPC errors from every write path. Mounting needs root; where it
 * is not allowed, `mountTinyDisk` resolves undefined and the test is skipped.
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
