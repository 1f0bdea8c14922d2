/**
 * The portable bundle as a machine without npm or Node would use it:
 * unpacked into an empty folder and run as ./gan-studio with a PATH that
 * holds no `node`, it trains tiny for an epoch, scores, generates, exports a
 * GIF and runs the doctor, each as from the clone. CI builds the release
 * archive once (`npm run bundle`, .ci/run) and passes it in
 * GAN_STUDIO_BUNDLE; without it the test builds one with xz's fastest preset.
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildBundle } from './build';

let root: string;
let folder: string;
let runs: string;
let runDir: string;

/** No node on it: an empty folder. */
let path: string;

function gan(args: string[], timeout = 600_000): Promise<{ code: number; stdout: string; stderr: string }> {
  const env: NodeJS.ProcessEnv = { HOME: join(root, 'home'), GAN_STUDIO_HOME: join(root, 'home', '.gan-studio'), PATH: path, XDG_RUNTIME_DIR: process.env.XDG_RUNTIME_DIR ?? root };
  // Vitest's one wasm thread per trainer (vitest.config.ts) holds here too.
  if (process.env.GAN_STUDIO_WASM_THREADS) env.GAN_STUDIO_WASM_THREADS = process.env.GAN_STUDIO_WASM_THREADS;
  return promisify(execFile)(join(folder, 'gan-studio'), args, { env, timeout, maxBuffer: 16 * 1024 * 1024 }).then(
    ({ stdout, stderr }) => ({ code: 0, stdout, stderr }),
    (error: { code?: number; stdout?: string; stderr?: string }) => ({ code: typeof error.code === 'number' ? error.code : -1, stdout: error.stdout ?? '', stderr: error.stderr ?? '' }),
  );
}

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'bundle-test-'));
  const archive = process.env.GAN_STUDIO_BUNDLE ?? (await buildBundle({ xzPreset: 0, outDir: join(root, 'dist') })).archive;
  const unpacked = join(root, 'unpacked');
  await mkdir(unpacked);
  await promisify(execFile)('tar', ['-xJf', archive, '-C', unpacked]);
  folder = join(unpacked, 'gan-studio-linux-x64');
  path = join(root, 'empty-bin');
  await mkdir(path);
  runs = join(root, 'runs');
}, 900_000);

afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

describe('the portable bundle, with no node on PATH', () => {
  it('has its own Node and none on PATH', () => {
    expect(existsSync(join(folder, 'node', 'bin', 'node'))).toBe(true);
    expect(path.split(delimiter).some((dir) => existsSync(join(dir, 'node')))).toBe(false);
  });

  it('trains tiny for an epoch on the built-in sample', async () => {
    const result = await gan(['train', '--preset', 'tiny', '--epochs', '1', '--max-images', '640', '--batch-size', '32', '--seed', '1', '--out', runs, '--name', 'bundled']);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout + result.stderr).toMatch(/finished: 1 epoch, 20 steps/);
    const [id] = await readdir(runs);
    runDir = join(runs, id!);
    expect(JSON.parse(await readFile(join(runDir, 'run.json'), 'utf8'))).toMatchObject({ status: 'completed', epoch: 1, step: 20 });
  }, 900_000);

  it('scores, generates and exports a GIF of that run', async () => {
    const score = await gan(['score', runDir, '--sample-size', '50']);
    expect(score.code, score.stderr).toBe(0);
    expect(score.stdout).toMatch(/FID +\S+ ± \S+/);

    const generated = join(root, 'generated');
    const generate = await gan(['generate', runDir, '--n', '4', '--out', generated]);
    expect(generate.code, generate.stderr).toBe(0);
    expect((await readdir(generated)).filter((name) => name.endsWith('.png'))).toHaveLength(4);

    const gif = join(root, 'progress.gif');
    const exported = await gan(['export', runDir, '--format', 'gif', '--out', gif]);
    expect(exported.code, exported.stderr).toBe(0);
    expect((await readFile(gif)).subarray(0, 6).toString('latin1')).toBe('GIF89a');
  }, 600_000);

  it('runs the doctor, which finds the bundled wasm and webgpu parts', async () => {
    const doctor = await gan(['doctor', '--json']);
    // 3: no GPU backend on a hardware GPU (this machine has none); the report is complete either way.
    expect([0, 3], doctor.stderr).toContain(doctor.code);
    const report = JSON.parse(doctor.stdout) as { auto: string; backends: { name: string; works: boolean; detail: string }[]; versions: Record<string, string | null> };
    expect(report.backends.find((backend) => backend.name === 'wasm')).toMatchObject({ works: true });
    expect(report.versions).toMatchObject({ node: process.versions.node, webgpu: expect.any(String), tfjsBackendWebgpu: expect.any(String) });
  }, 300_000);
});
