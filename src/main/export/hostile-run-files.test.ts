/**
 * Exports of a run whose files are not what they should be: a sample that is
 * a symbolic link (out of the run, or even inside it), a FIFO, a samples/
 * folder linked elsewhere, a checkpoint file linked out — all refused, nothing
 * copied into exports/. And exports on a real full disk (a tiny tmpfs): the
 * message says so (no ffmpeg-encoder hint) and no partial export remains.
 */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { cp, mkdir, mkdtemp, readdir, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tinyDiskForTests } from '../runs/test-disk';
import { writeEvidence } from './evidence';
import { runExport, type ExportRequest } from './request';
import { addFixtureCheckpoint, fixtureGrid, makeFixtureRun } from './test-fixtures';

let root: string;
let good: string;
const disk = tinyDiskForTests(256, 'exports on a full disk (the disk-full message, nothing partial kept)');

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'hostile-exports-'));
  good = await makeFixtureRun(join(root, 'runs'), { id: 'good', epochs: 3 });
  await addFixtureCheckpoint(good, 12);
  await writeFile(join(root, 'outside.png'), await fixtureGrid(9));
});
afterAll(async () => {
  disk?.unmount();
  await rm(root, { recursive: true, force: true });
});

/** A copy of the good run named `id`, changed by `damage`. */
async function runWith(id: string, damage: (dir: string) => Promise<void>): Promise<string> {
  const dir = join(root, 'runs', id);
  await cp(good, dir, { recursive: true });
  await damage(dir);
  return dir;
}

const grid = (dir: string, epoch: number) => join(dir, 'samples', `epoch-000${epoch}.png`);

describe('exports read only regular files inside the run', () => {
  it.each([
    ['a sample linked out of the run', (dir: string) => rm(grid(dir, 3)).then(() => symlink(join(root, 'outside.png'), grid(dir, 3))), /samples\/epoch-0003\.png: it is a symbolic link/],
    ['a sample linked to another sample', (dir: string) => rm(grid(dir, 3)).then(() => symlink(grid(dir, 1), grid(dir, 3))), /samples\/epoch-0003\.png: it is a symbolic link/],
    ['a sample that is a FIFO', (dir: string) => rm(grid(dir, 3)).then(() => void execFileSync('mkfifo', [grid(dir, 3)])), /samples\/epoch-0003\.png: it is not a regular file/],
    [
      'a samples folder linked elsewhere',
      async (dir: string) => {
        await mkdir(join(root, 'elsewhere'), { recursive: true });
        await cp(join(dir, 'samples'), join(root, 'elsewhere', 'samples'), { recursive: true });
        await rm(join(dir, 'samples'), { recursive: true });
        await symlink(join(root, 'elsewhere', 'samples'), join(dir, 'samples'));
      },
      /samples\/epoch-0001\.png: its real location .* is outside the run folder/,
    ],
  ])('refuses %s, for every export that reads samples', async (name, damage, reason) => {
    const dir = await runWith(name.replace(/\W+/g, '-'), damage);
    const requests: ExportRequest[] = [
      { format: 'png', runDir: dir, out: join(dir, 'exports', 'grid.png') },
      { format: 'gif', runDirs: [dir], out: join(dir, 'exports', 'progress.gif') },
      { format: 'gif', runDirs: [good, dir], out: join(good, 'exports', 'compare.gif') },
    ];
    for (const request of requests) {
      await expect(runExport(request), request.format).rejects.toThrow(reason);
    }
    expect(existsSync(join(dir, 'exports'))).toBe(false);
  });

  it('refuses a generator checkpoint whose weights are a link out of the run', async () => {
    const dir = await runWith('linked-weights', async (d) => {
      const weights = join(d, 'checkpoints', 'step-00000012', 'generator', 'weights.bin');
      await cp(weights, join(root, 'weights.bin'));
      await rm(weights);
      await symlink(join(root, 'weights.bin'), weights);
    });
    await expect(runExport({ format: 'generator', runDir: dir, out: join(dir, 'exports', 'generator') })).rejects.toThrow(
      /weights\.bin: it is a symbolic link/,
    );
    expect(existsSync(join(dir, 'exports', 'generator'))).toBe(false);
  });
});

describe.skipIf(!disk)('exports on a full disk', () => {
  it('say the disk is full, without the ffmpeg-encoder hint, and leave nothing partial', async () => {
    const out = join(disk!.dir, 'exports');
    disk!.fill();
    try {
      const requests: ExportRequest[] = [
        { format: 'charts', runDir: good, out },
        { format: 'csv', runDir: good, out },
        { format: 'gif', runDirs: [good], out: join(out, 'progress.gif') },
        { format: 'png', runDir: good, out: join(out, 'grid.png') },
        { format: 'generator', runDir: good, out: join(out, 'generator') },
      ];
      for (const request of requests) {
        const error = await runExport(request).then(
          () => undefined,
          (e: unknown) => e as { message: string; hint?: string },
        );
        expect(error?.message, request.format).toMatch(/^The disk is full: (could not write the export|ffmpeg could not write the export)/);
        expect(error?.hint, request.format).toBe('Free some space on that disk, then export again; nothing partial was kept.');
        expect(existsSync(out) ? await readdir(out) : [], request.format).toEqual([]);
      }
      const evidence = await writeEvidence({ runDir: good, outDir: join(out, 'evidence') }).then(
        () => undefined,
        (e: unknown) => e as { message: string; hint?: string },
      );
      expect(evidence?.message).toMatch(/^The disk is full/);
      expect(evidence?.hint).not.toMatch(/encoder/);
      expect(existsSync(out) ? await readdir(out) : []).toEqual([]);
    } finally {
      disk!.free();
    }
  });

  it('charts into a folder with some room but not enough: all four files or none', async () => {
    const out = join(disk!.dir, 'charts');
    disk!.fill();
    disk!.free();
    // Leave room for about one chart file.
    await writeFile(join(disk!.dir, 'almost-full'), Buffer.alloc(230 * 1024));
    try {
      await expect(runExport({ format: 'charts', runDir: good, out })).rejects.toThrow(/^The disk is full/);
      expect(existsSync(out)).toBe(false);
    } finally {
      await rm(join(disk!.dir, 'almost-full'));
    }
    await expect(runExport({ format: 'charts', runDir: good, out })).resolves.toMatchObject({ paths: expect.any(Array) });
    expect((await readdir(out)).sort()).toEqual(['accuracy.png', 'accuracy.svg', 'loss.png', 'loss.svg']);
  });
});
