/**
 * Scratch folders left by killed imports are removed by the next import;
 * those of imports still running are not.
 */
import { spawn } from 'node:child_process';
import { mkdir, readdir, utimes, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { importDataset } from './index';
import { removeStaleScratch } from './scratch';
import { buildZip, encodeImage, put, useTempCache } from './test-support';

let root: string;
let cacheRoot: string;
useTempCache((folders) => ({ root, cacheRoot } = folders));

/** A pid that belonged to a process which has exited. */
async function deadPid(): Promise<number> {
  const child = spawn(process.execPath, ['-e', '']);
  await new Promise((resolve) => child.once('exit', resolve));
  return child.pid!;
}

async function scratch(name: string, ageMs = 0): Promise<void> {
  await mkdir(join(cacheRoot, name), { recursive: true });
  await writeFile(join(cacheRoot, name, 'images.u8'), 'x');
  const when = new Date(Date.now() - ageMs);
  await utimes(join(cacheRoot, name), when, when);
}

const scratchNames = async (): Promise<string[]> => (await readdir(cacheRoot)).filter((n) => n.startsWith('.')).sort();

describe('stale scratch folders', () => {
  it("removes a dead process's import and extract folders, keeps a live one's and recent unowned ones", async () => {
    const dead = await deadPid();
    const live = `.import-pets-0123456789abcdef-p${process.pid}-abc123`;
    await scratch(`.import-pets-0123456789abcdef-p${dead}-Zx81Qa`);
    await scratch(`.extract-p${dead}-Qq09aZ`);
    await scratch(live);
    await scratch('.extract-old123', 2 * 60 * 60 * 1000);
    await scratch('.extract-new123');
    await scratch('.other-folder', 10 * 24 * 60 * 60 * 1000);
    expect((await removeStaleScratch(cacheRoot)).sort()).toEqual([`.extract-p${dead}-Qq09aZ`, '.extract-old123', `.import-pets-0123456789abcdef-p${dead}-Zx81Qa`].sort());
    expect(await scratchNames()).toEqual(['.extract-new123', live, '.other-folder'].sort());
  });

  it('cleans up after an import killed with SIGKILL, at the start of the next import', async () => {
    const tile = await encodeImage({ width: 2, height: 2, channels: 3, fill: [5, 6, 7] });
    const zip = buildZip(Array.from({ length: 3000 }, (_, i) => ({ name: `img/${String(i).padStart(5, '0')}.png`, data: tile, method: 'store' as const })));
    const source = await put(join(root, 'many.zip'), zip);
    const bin = join(process.cwd(), 'src', 'cli', 'gan-studio.js');
    const child = spawn(process.execPath, [bin, 'inspect-data', source, '--cache', cacheRoot], { stdio: 'ignore' });
    const exited = new Promise((resolve) => child.once('exit', resolve));
    const deadline = Date.now() + 20_000;
    while (!(await scratchNames().catch(() => [])).some((n) => n.startsWith('.extract-')) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    child.kill('SIGKILL');
    await exited;
    expect((await scratchNames()).length).toBeGreaterThan(0);
    const other = await put(join(root, 'small', 'a.png'), tile);
    await importDataset(join(other, '..'), {}, { cacheRoot });
    expect(await scratchNames()).toEqual([]);
  }, 30_000);
});
