import { mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { removeAbandonedTemps, writeFileAtomically } from './atomic-output';

let root: string;
beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'atomic-output-'));
});
afterAll(() => rm(root, { recursive: true, force: true }));

describe('removeAbandonedTemps', () => {
  it("removes what a killed writer left for one target, and only that target's", async () => {
    const dir = join(root, 'one');
    // A file temp keeps the extension last (.walk.partial-….gif); a folder temp keeps the whole name (.walk.gif.partial-…).
    await mkdir(join(dir, '.walk.gif.partial-99-00ff00ff'), { recursive: true });
    for (const name of ['walk.gif', '.walk.partial-12-abcdef01.gif', 'other.gif', '.other.partial-12-abcdef01.gif', '.walk.gif.notes']) {
      await writeFile(join(dir, name), 'x');
    }
    await removeAbandonedTemps(join(dir, 'walk.gif'));
    expect((await readdir(dir)).sort()).toEqual(['.other.partial-12-abcdef01.gif', '.walk.gif.notes', 'other.gif', 'walk.gif']);
  });

  it('matches the names writeFileAtomically really uses, and clears a whole folder with inside', async () => {
    const dir = join(root, 'two');
    let temp = '';
    // A writer killed mid-write leaves its temp behind: learn the name it uses, then put such a file back.
    await expect(
      writeFileAtomically(join(dir, 'seed-1-000.png'), async (path) => {
        temp = path;
        throw new Error('killed');
      }),
    ).rejects.toThrow('killed');
    await writeFile(temp, 'half');
    await writeFile(join(dir, 'seed-1-001.png'), 'done');
    await removeAbandonedTemps(dir, { inside: true });
    expect(await readdir(dir)).toEqual(['seed-1-001.png']);
  });
});
