/**
 * Winograd on the kernel threads: real child processes (tfjs's pthread
 * workers only start in a fresh process) run correlate and
 * correlateFilterGradient with 2 threads and with 1, and must agree bit for
 * bit — the transforms split by tile, the products as the direct kernels do.
 */
import { execFile } from 'node:child_process';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const tsx = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;
const here = import.meta.dirname;
const url = (file: string) => JSON.stringify(pathToFileURL(join(here, file)).href);

// Shapes large enough that every transform and product splits across the threads, channel counts off 4 too.
const SCRIPT = `
import * as tf from '@tensorflow/tfjs';
import { selectBackend } from ${url('../../select.ts')};
import { studioKernels } from ${url('conv-kernels.ts')};
import { correlate, correlateFilterGradient } from ${url('winograd.ts')};
import { placeCorrelation, read } from ${url('winograd-fixture.ts')};
await selectBackend({ forced: 'wasm' });
const backend = tf.backend();
const kernels = studioKernels(backend);
const base = { batch: 32, outHeight: 8, outWidth: 8, inChannels: 64, outChannels: 36, filterHeight: 5, filterWidth: 5, offsetY: -2, offsetX: -2, inputHeight: 8, inputWidth: 8, phase: false, filter: 'plain', accumulate: false };
const cases = [base, { ...base, outHeight: 7, outWidth: 7, inputHeight: 8, inputWidth: 8, filterHeight: 3, filterWidth: 3, offsetY: -1, offsetX: 0, inChannels: 45, phase: true, filter: 'flipped', accumulate: true }];
const out = { threads: kernels.pool?.threads ?? 1, forward: [], gradient: [] };
for (const [i, k] of cases.entries()) {
  const placed = placeCorrelation(backend, k, 7 + i);
  correlate(backend, kernels, placed.c);
  out.forward.push([...read(backend, placed.output)]);
  correlateFilterGradient(backend, kernels, placed.c);
  out.gradient.push([...read(backend, placed.filter)]);
  placed.dispose();
}
// Exit once the (large) line is flushed: the pool's threads would keep the process alive.
process.stdout.write(JSON.stringify(out) + '\\n', () => process.exit(0));
`;

interface Output {
  threads: number;
  forward: number[][];
  gradient: number[][];
}

async function runChild(threads: string): Promise<Output> {
  const { stdout } = await promisify(execFile)(process.execPath, ['--import', tsx, '--input-type=module', '-e', SCRIPT], {
    env: { ...process.env, GAN_STUDIO_WASM_THREADS: threads },
    timeout: 90_000,
    maxBuffer: 64 * 1024 * 1024,
  });
  return JSON.parse(stdout.trim().split('\n').at(-1)!) as Output;
}

describe('Winograd on kernel threads', () => {
  it('gives the single thread’s bits on 2 threads, forward and filter gradient', async () => {
    const [two, one] = await Promise.all([runChild('2'), runChild('1')]);
    expect(two.threads).toBe(2);
    expect(one.threads).toBe(1);
    for (const key of ['forward', 'gradient'] as const) {
      expect(one[key].length).toBe(2);
      one[key].forEach((values, i) => {
        // Counted, not diffed: a failure over thousands of values reports at once.
        expect(two[key][i]!.filter((v, j) => !Object.is(v, values[j])).length, `${key} case ${i}`).toBe(0);
        expect(values.reduce((m, v) => Math.max(m, Math.abs(v)), 0)).toBeGreaterThan(1);
      });
    }
  }, 180_000);
});
