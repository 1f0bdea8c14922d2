import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { probeDawnInChild, probeFailure, probeResult } from './isolated-probe';

let root: string;
beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'dawn-probe-'));
});
afterAll(() => rm(root, { recursive: true, force: true }));

/** A stand-in for the `webgpu` package whose create() does `body`. */
async function fakeDawn(name: string, body: string): Promise<string> {
  const path = join(root, `${name}.mjs`);
  await writeFile(path, `export function create() { ${body} }\n`);
  return path;
}

describe('the isolated Dawn probe', () => {
  it('reads how the child ended', () => {
    expect(probeFailure({ code: 0, signal: null, stdout: 'ok null', timedOut: false })).toBeUndefined();
    expect(probeResult({ code: 0, signal: null, stdout: 'ok {"vendor":"mesa","architecture":"software","device":"","description":"llvmpipe","isFallbackAdapter":true}', timedOut: false })).toEqual({
      adapter: { vendor: 'mesa', architecture: 'software', device: '', description: 'llvmpipe', isFallbackAdapter: true },
    });
    expect(probeFailure({ code: null, signal: 'SIGSEGV', stdout: '', timedOut: false })).toMatch(/^a test process that loaded Dawn and opened the GPU was killed by SIGSEGV \(a crash in the GPU driver/);
    expect(probeFailure({ code: 1, signal: null, stdout: '', timedOut: false })).toMatch(/exited with code 1/);
    // Exit 0 without the last word did not get through either.
    expect(probeFailure({ code: 0, signal: null, stdout: '', timedOut: false })).toMatch(/exited with code 0/);
    expect(probeFailure({ code: null, signal: 'SIGKILL', stdout: '', timedOut: true })).toMatch(/did not answer within 30 s/);
  });

  it('keeps a crash in a child process: the caller gets the reason and lives on', async () => {
    expect(await probeDawnInChild(await fakeDawn('aborts', 'process.abort();'))).toEqual({ failure: expect.stringMatching(/killed by SIGABRT/) });
    expect(await probeDawnInChild(await fakeDawn('throws', "throw new Error('no driver');"))).toEqual({ failure: expect.stringMatching(/exited with code 1/) });
  });

  it('lets through a module that answers, with or without an adapter, and the real package, with the adapter it got', async () => {
    expect(await probeDawnInChild(await fakeDawn('none', 'return { requestAdapter: async () => null };'))).toEqual({ adapter: null });
    const device = '{ destroy() {} }';
    const info = "{ vendor: 'nvidia', architecture: 'hopper', device: 'H200', description: 'NVIDIA H200' }";
    expect(await probeDawnInChild(await fakeDawn('one', `return { requestAdapter: async () => ({ info: ${info}, requestDevice: async () => (${device}) }) };`))).toEqual({
      adapter: { vendor: 'nvidia', architecture: 'hopper', device: 'H200', description: 'NVIDIA H200', isFallbackAdapter: false },
    });
    const real = (() => {
      try {
        return createRequire(import.meta.url).resolve('webgpu');
      } catch {
        return undefined;
      }
    })();
    // Installed everywhere npm ci ran (an optional dependency with prebuilt binaries).
    if (real) expect(await probeDawnInChild(real)).toHaveProperty('adapter'); // llvmpipe, a GPU, or null without a Vulkan driver
  }, 60_000);
});
