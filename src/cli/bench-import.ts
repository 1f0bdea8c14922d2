/**
 * `npm run bench -- --import`: import throughput and peak memory per source
 * kind (folder, zip, tar.gz of small PNGs; gzipped IDX and NPY of 28×28
 * images). Each import runs in a fresh Node process so its peak resident
 * memory (maxRSS) is its own; inputs are generated in a temporary folder.
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { gzipSync } from 'node:zlib';
import sharp from 'sharp';
import { create as createTar } from 'tar';
import { buildZip } from '../main/data/test-support';
import { packageRoot } from '../main/paths';
import { CliError } from './cli-error';
import { EXIT } from './exit-codes';

export const importHelp = `Usage: npm run bench -- --import [--images N] [--json]

Imports generated datasets of N images (default 20000) from each source kind
(folder, zip and tar.gz of 1×1 PNGs; gzipped IDX and NPY of 28×28 images),
each in a fresh process, and prints images/s (wall and CPU time) and the
peak memory (maxRSS).`;

interface Row {
  kind: string;
  images: number;
  seconds: number;
  imagesPerSecond: number;
  /** Images per second of this process's CPU time (all its threads, startup included): steadier than wall time on a busy machine. */
  imagesPerCpuSecond: number;
  peakMiB: number;
}

/** Writes one input per source kind into `dir`; returns kind → path. */
async function makeInputs(dir: string, images: number): Promise<[string, string][]> {
  const tiles = await Promise.all(
    [0, 1, 2, 3].map((i) => sharp({ create: { width: 1, height: 1, channels: 3, background: { r: 60 * i, g: 90, b: 200 - 40 * i } } }).png().toBuffer()),
  );
  const files = Array.from({ length: images }, (_, i) => ({ name: `pngs/${['a', 'b'][i % 2]}/${String(i).padStart(7, '0')}.png`, data: tiles[i % 4]! }));
  const folder = join(dir, 'folder');
  for (const f of files) {
    await mkdir(join(folder, f.name, '..'), { recursive: true });
    await writeFile(join(folder, f.name), f.data);
  }
  await writeFile(join(dir, 'pngs.zip'), buildZip(files.map((f) => ({ ...f, method: 'store' as const }))));
  await createTar({ gzip: true, file: join(dir, 'pngs.tar.gz'), cwd: join(folder, 'pngs') }, ['a', 'b']);
  const pixels = Buffer.alloc(images * 28 * 28);
  for (let i = 0; i < pixels.length; i++) pixels[i] = (i * 2654435761) >>> 24;
  const idxHeader = Buffer.alloc(16);
  idxHeader.writeUInt32BE(0x00000803, 0);
  [images, 28, 28].forEach((d, i) => idxHeader.writeUInt32BE(d, 4 + 4 * i));
  await writeFile(join(dir, 'bench-images-idx3-ubyte.gz'), gzipSync(Buffer.concat([idxHeader, pixels])));
  let dict = `{'descr': '|u1', 'fortran_order': False, 'shape': (${images}, 28, 28), }`;
  dict += ' '.repeat((64 - ((10 + dict.length + 1) % 64)) % 64) + '\n';
  const npyHeader = Buffer.from([0x93, ...Buffer.from('NUMPY'), 1, 0, dict.length & 0xff, dict.length >> 8]);
  await writeFile(join(dir, 'bench.npy'), Buffer.concat([npyHeader, Buffer.from(dict, 'latin1'), pixels]));
  return [
    ['folder', join(folder, 'pngs')],
    ['zip', join(dir, 'pngs.zip')],
    ['tar.gz', join(dir, 'pngs.tar.gz')],
    ['idx.gz', join(dir, 'bench-images-idx3-ubyte.gz')],
    ['npy', join(dir, 'bench.npy')],
  ];
}

/** Imports `source` in a fresh Node process (tsx), returning its wall time and peak memory. */
async function importInChild(source: string, cacheRoot: string): Promise<{ seconds: number; cpuSeconds: number; peakMiB: number; count: number }> {
  const importer = join(packageRoot(), 'src', 'main', 'data', 'index.ts');
  if (!existsSync(importer)) throw new CliError('bench --import runs from a source checkout (it imports through tsx): npm run bench -- --import.', EXIT.usage);
  const script = `
    const { importDataset } = await import(${JSON.stringify(importer)});
    const started = performance.now();
    const { manifest } = await importDataset(${JSON.stringify(source)}, {}, { cacheRoot: ${JSON.stringify(cacheRoot)} });
    const cpu = process.cpuUsage();
    console.log(JSON.stringify({ count: manifest.count, seconds: (performance.now() - started) / 1000, cpuSeconds: (cpu.user + cpu.system) / 1e6, peakMiB: process.resourceUsage().maxRSS / 1024 }));`;
  const { stdout } = await promisify(execFile)(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { maxBuffer: 1024 * 1024 });
  return JSON.parse(stdout) as { seconds: number; cpuSeconds: number; peakMiB: number; count: number };
}

/** Runs the import benchmark; prints a table (or JSON lines) and returns the exit code. */
export async function runImportBench(images: number, json: boolean): Promise<number> {
  const dir = await mkdtemp(join(tmpdir(), 'gan-import-bench-'));
  try {
    const inputs = await makeInputs(dir, images);
    if (!json) console.log(`${'source'.padEnd(10)}${'images'.padStart(9)}${'seconds'.padStart(10)}${'images/s'.padStart(11)}${'img/CPU-s'.padStart(11)}${'peak MiB'.padStart(10)}`);
    for (const [kind, source] of inputs) {
      const { seconds, cpuSeconds, peakMiB, count } = await importInChild(source, join(dir, `cache-${kind}`));
      const row: Row = { kind, images: count, seconds, imagesPerSecond: count / seconds, imagesPerCpuSecond: count / cpuSeconds, peakMiB };
      const rounded = { ...row, seconds: Number(seconds.toFixed(3)), imagesPerSecond: Math.round(row.imagesPerSecond), imagesPerCpuSecond: Math.round(row.imagesPerCpuSecond), peakMiB: Math.round(peakMiB) };
      if (json) console.log(JSON.stringify(rounded));
      else console.log(`${kind.padEnd(10)}${String(count).padStart(9)}${seconds.toFixed(2).padStart(10)}${String(rounded.imagesPerSecond).padStart(11)}${String(rounded.imagesPerCpuSecond).padStart(11)}${String(rounded.peakMiB).padStart(10)}`);
    }
    return 0;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
