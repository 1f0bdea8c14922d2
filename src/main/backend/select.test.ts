import * as tf from '@tensorflow/tfjs';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { isCudaLoadError, missingCudaLibraries, CUDA_LIBRARIES } from './cuda';
import { BackendError, formatBackendReport, polyfillNodeUtil, selectBackend } from './index';

describe('selectBackend', () => {
  it('skips the uninstalled native backends and a software GPU with their reasons and trains on wasm', async () => {
    const report = await selectBackend();
    expect(report.name).toBe('wasm');
    expect(tf.getBackend()).toBe('wasm');
    expect(report.device).toMatch(/WebAssembly/);
    expect(report.skipped).toEqual([
      { name: 'tfjs-node-gpu', reason: 'not installed (npm package @tensorflow/tfjs-node-gpu)' },
      // CI has Mesa's llvmpipe (a CPU emulation); a machine without a Vulkan driver has no adapter.
      { name: 'webgpu', reason: expect.stringMatching(/^(only a software adapter \(.+\): slower than wasm|no WebGPU adapter)/) },
      { name: 'tfjs-node', reason: 'not installed (npm package @tensorflow/tfjs-node)' },
    ]);
    expect(formatBackendReport(report)).toContain('skipped tfjs-node: not installed');
  });

  it('uses a forced backend that loads', async () => {
    const report = await selectBackend({ forced: 'cpu' });
    expect(report).toEqual({ name: 'cpu', device: expect.stringMatching(/pure JavaScript/), skipped: [] });
    expect(tf.getBackend()).toBe('cpu');
  });

  it('fails with BackendError naming the reason when a forced backend cannot load', async () => {
    const attempt = selectBackend({ forced: 'tfjs-node' });
    await expect(attempt).rejects.toBeInstanceOf(BackendError);
    await expect(attempt).rejects.toThrow(/cannot use the tfjs-node backend: not installed.*--backend/);
  });
});

describe('CUDA library detection', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'gan-studio-cuda-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('finds the CUDA 11.2 / cuDNN 8.1 sonames on LD_LIBRARY_PATH', () => {
    const empty = { LD_LIBRARY_PATH: dir };
    const known = missingCudaLibraries(empty);
    for (const lib of CUDA_LIBRARIES) writeFileSync(path.join(dir, lib), '');
    expect(missingCudaLibraries(empty)).toEqual([]);
    // This machine has no CUDA: without the fake libraries both are missing unless ldconfig knows them.
    expect(known.every((lib) => (CUDA_LIBRARIES as readonly string[]).includes(lib))).toBe(true);
  });

  it('recognises a dynamic-loader error about CUDA', () => {
    expect(isCudaLoadError('libcudart.so.11.0: cannot open shared object file: No such file or directory')).toBe(true);
    expect(isCudaLoadError('Cannot find module @tensorflow/tfjs-node')).toBe(false);
  });
});

describe('polyfillNodeUtil', () => {
  it('restores the util.is* functions Node 23 removed, leaving existing ones alone', () => {
    const util = createRequire(import.meta.url)('node:util') as Record<string, unknown>;
    const saved = { isNullOrUndefined: util.isNullOrUndefined, isArray: util.isArray };
    delete util.isNullOrUndefined;
    delete util.isArray;
    try {
      expect(polyfillNodeUtil()).toEqual(['isArray', 'isNullOrUndefined']);
      const isNullOrUndefined = util.isNullOrUndefined as (v: unknown) => boolean;
      expect([null, undefined, 0, ''].map(isNullOrUndefined)).toEqual([true, true, false, false]);
      expect((util.isArray as (v: unknown) => boolean)([1])).toBe(true);
      expect(polyfillNodeUtil()).toEqual([]);
    } finally {
      Object.assign(util, saved);
    }
  });
});
