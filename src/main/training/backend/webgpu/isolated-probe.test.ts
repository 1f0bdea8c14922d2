import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { probeDawnInChild, probeFailure } from './isolated-probe';

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
    expect(probeFailure({ code: 0, signal: null, stdout: 'ok', timedOut: false })).toBeUndefined();
    expect(probeFailure({ code: null, signal: 'SIGSEGV', stdout: '', timedOut: false })).toMatch(/^a test process that loaded Dawn and opened the GPU was killed by SIGSEGV \(a crash in the GPU driver/);
    expect(probeFailure({ code: 1, signal: null, stdout: '', timedOut: false })).toMatch(/exited with code 1/);
    // Exit 0 without the last word did not get through either.
    expect(probeFailure({ code: 0, signal: null, stdout: '', timedOut: false })).toMatch(/exited with code 0/);
    expect(probeFailure({ code: null, signal: 'SIGKILL', stdout: '', timedOut: true })).toMatch(/did not answer within 30 s/);
  });

  it('keeps a crash in a child process: the caller gets the reason and lives on', async () => {
    expect(await probeDawnInChild(await fakeDawn('aborts', 'process.abort();'))).toMatch(/killed by SIGABRT/);
    expect(await probeDawnInChild(await fakeDawn('throws', "throw new Error('no driver');"))).toMatch(/exited with code 1/);
  });

  it('lets through a module that answers, with or without an adapter, and the real package', async () => {
    expect(await probeDawnInChild(await fakeDawn('none', 'return { requestAdapter: async () => null };'))).toBeUndefined();
    const device = '{ destroy() {} }';
    expect(await probeDawnInChild(await fakeDawn('one', `return { requestAdapter: async () => ({ requestDevice: async () => (${device}) }) };`))).toBeUndefined();
    const real = (() => {
      try {
        return createRequire(import.meta.url).resolve('webgpu');
      } catch {
        return undefined;
      }
    })();
    // Installed everywhere npm ci ran (an optional dependency with prebuilt binaries).
    if (real) expect(await probeDawnInChild(real)).toBeUndefined();
  }, 60_000);
});
