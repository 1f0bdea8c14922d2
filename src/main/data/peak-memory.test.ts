/**
 * Small inputs that expand hugely (zip entries of zeros named .png, sparse
 * files) are judged from their first bytes and declared sizes, never read
 * whole: the import's peak memory, measured in a child process, stays near
 * its baseline.
 */
import { execFile } from 'node:child_process';
import { open } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { deflateRawSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import type { DatasetManifest } from '../../shared/dataset';
import { buildZip, encodeImage, put, useTempCache } from './test-support';

let root: string;
let cacheRoot: string;
useTempCache((folders) => ({ root, cacheRoot } = folders));

const MiB = 1024 * 1024;

/** Imports `source` in a fresh Node process; returns its manifest and peak resident memory. */
async function importInChild(source: string): Promise<{ manifest: DatasetManifest; peakMiB: number; seconds: number }> {
  const script = `
    const { importDataset } = await import(${JSON.stringify(join(process.cwd(), 'src/main/data/index.ts'))});
    const started = performance.now();
    const { manifest } = await importDataset(${JSON.stringify(source)}, {}, { cacheRoot: ${JSON.stringify(cacheRoot)} });
    console.log(JSON.stringify({ manifest, peakMiB: process.resourceUsage().maxRSS / 1024, seconds: (performance.now() - started) / 1000 }));`;
  const { stdout } = await promisify(execFile)(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { maxBuffer: 16 * MiB });
  return JSON.parse(stdout) as { manifest: DatasetManifest; peakMiB: number; seconds: number };
}

const tile = (): Promise<Buffer> => encodeImage({ width: 4, height: 4, channels: 3, fill: [10, 20, 30] });
const NOT_IMAGE = 'not an image: its first bytes match no supported image format';

describe('inputs that expand hugely', () => {
  it('drops zip entries of zeros named .png after their first bytes (4 × 128 MiB from a 0.5 MB zip)', async () => {
    const zeros = Buffer.alloc(128 * MiB);
    const deflated = deflateRawSync(zeros);
    const entries = ['a.png', 'b.png', 'c.png', 'd.png'].map((name) => ({ name: `set/${name}`, data: zeros, deflated }));
    const zip = buildZip([{ name: 'set/ok.png', data: await tile() }, ...entries]);
    const { manifest, peakMiB } = await importInChild(await put(join(root, 'bomb.zip'), zip));
    expect(manifest.count).toBe(1);
    expect(manifest.skipped).toEqual(['a.png', 'b.png', 'c.png', 'd.png'].map((file) => ({ file, reason: NOT_IMAGE })));
    expect(peakMiB).toBeLessThan(400);
  }, 60_000);

  it('decodes sparse 128 MiB "images" from their first bytes, never reading them whole', async () => {
    const src = join(root, 'sparse');
    await put(join(src, 'ok.png'), await tile());
    for (const name of ['a.png', 'b.png', 'c.png', 'd.png']) {
      const file = await open(await put(join(src, name), ''), 'r+');
      await file.truncate(128 * MiB);
      await file.close();
    }
    const { manifest, peakMiB, seconds } = await importInChild(src);
    expect(manifest.count).toBe(1);
    expect(manifest.skipped.map((s) => s.file)).toEqual(['a.png', 'b.png', 'c.png', 'd.png']);
    expect(peakMiB).toBeLessThan(400);
    expect(seconds).toBeLessThan(10);
  }, 60_000);
});
