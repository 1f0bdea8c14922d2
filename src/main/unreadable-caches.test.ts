/**
 * A dataset cache (or the score classifier cached with it) that this user may
 * not read is said to be unreadable — "permission denied" and the path — never
 * "not valid JSON … damaged", and an import never replaces it (a good cache
 * the user can fix with chmod would be deleted). The code under test runs in
 * child processes as an unprivileged user (root reads any file), so the
 * permission bits really apply.
 */
import { existsSync } from 'node:fs';
import { chmod, mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importDataset, loadDataset, openDataset } from './data';
import { encodeImage, put } from './data/test-support';
import { loadFeatureNetwork } from './scores/feature-network';
import { mainModule, runUnprivileged } from './test-unprivileged';

let root: string;
let source: string;
let cacheRoot: string;
let dir: string;

const run = (script: string) => runUnprivileged(script, { cwd: root, env: { ...process.env, HOME: root, GAN_STUDIO_HOME: join(root, 'home') } });
/** What a child's failed call threw: name, message and hint. */
const caught = (call: string) =>
  run(`const error = await (async () => { ${call} })().then(() => undefined, (e) => e);` + 'console.log(JSON.stringify({ name: error?.name, message: error?.message, hint: error?.hint }));') as {
    name?: string;
    message?: string;
    hint?: string;
  };

/** Make a file unreadable for the duration of `check`. */
async function unreadableWhile(file: string, check: () => Promise<void> | void): Promise<void> {
  await chmod(file, 0o000);
  try {
    await check();
  } finally {
    await chmod(file, 0o644);
  }
}

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'unreadable-cache-'));
  await chmod(root, 0o755);
  source = join(root, 'source');
  // Two classes, so the dataset gets a score classifier (cached beside the data).
  for (const [label, fill] of [['dark', [20, 20, 20]], ['light', [230, 230, 230]]] as const) {
    for (let i = 0; i < 12; i++) await put(join(source, label, `${i}.png`), await encodeImage({ width: 8, height: 8, channels: 3, fill: [fill[0] + i, fill[1], fill[2]] }));
  }
  cacheRoot = join(root, 'cache');
  ({ dir } = await importDataset(source, {}, { cacheRoot }));
  const dataset = await openDataset(dir);
  try {
    (await loadFeatureNetwork(dataset, { epochs: 1 })).dispose();
  } finally {
    await dataset.close();
  }
  // Everyone may write the cache: an import that took an unreadable cache for damage could delete it.
  for (const folder of [root, source, join(source, 'dark'), join(source, 'light'), cacheRoot, dir]) await chmod(folder, 0o777);
}, 120_000);
afterAll(() => rm(root, { recursive: true, force: true }));

describe('a dataset cache without read permission', () => {
  it('is reported as permission denied with the path, and an import keeps it', async () => {
    const manifest = join(dir, 'manifest.json');
    const before = (await readdir(dir)).sort();
    await unreadableWhile(manifest, () => {
      const load = caught(`const { loadDataset } = await import(${mainModule('data/index.ts')}); await loadDataset(${JSON.stringify(dir)});`);
      expect(load).toMatchObject({ name: 'DatasetError', message: `The cached dataset cannot be read: cannot read ${manifest}: permission denied.` });
      expect(load.hint).toMatch(/^The cache is not damaged: give this user read access/);
      const again = caught(`const { importDataset } = await import(${mainModule('data/index.ts')}); await importDataset(${JSON.stringify(source)}, {}, { cacheRoot: ${JSON.stringify(cacheRoot)} });`);
      expect(again).toMatchObject({ name: 'DatasetError', message: `The cached dataset cannot be read: cannot read ${manifest}: permission denied.` });
    });
    expect((await readdir(dir)).sort()).toEqual(before);
    expect((await loadDataset(dir)).manifest.count).toBe(24);
  });

  it('names the data file that cannot be read', async () => {
    const images = join(dir, 'images.u8');
    await unreadableWhile(images, () => {
      const load = caught(`const { loadDataset } = await import(${mainModule('data/index.ts')}); await loadDataset(${JSON.stringify(dir)});`);
      expect(load).toMatchObject({ name: 'DatasetError', message: `The cached dataset cannot be read: cannot read ${images}: permission denied.` });
    });
  });

  it('makes the studio say "cannot be read: permission denied", not "not found"', async () => {
    const manifest = join(dir, 'manifest.json');
    const id = dir.split('/').at(-1)!;
    await unreadableWhile(manifest, () => {
      const store =
        `const { DatasetStore } = await import(${mainModule('studio-service/datasets.ts')});` +
        `await new DatasetStore({ datasetsRoot: ${JSON.stringify(cacheRoot)}, urlForDatasetPreview: () => '', progress: () => undefined }).manifest(${JSON.stringify(id)});`;
      expect(caught(store)).toMatchObject({ name: 'StudioError', message: `Dataset ${id} cannot be read: cannot read ${manifest}: permission denied.` });
    });
  });

  it('keeps the cached score classifier and says it cannot be read, instead of retraining over it', async () => {
    const meta = join(dir, 'classifier-v1', 'meta.json');
    await unreadableWhile(meta, () => {
      const score =
        `const { openDataset } = await import(${mainModule('data/index.ts')});` +
        `const { loadFeatureNetwork } = await import(${mainModule('scores/feature-network.ts')});` +
        `await loadFeatureNetwork(await openDataset(${JSON.stringify(dir)}), { epochs: 1 });`;
      expect(caught(score)).toMatchObject({
        name: 'DatasetError',
        message: `The score classifier cached with the dataset cannot be read: cannot read ${meta}: permission denied.`,
      });
    });
    expect(existsSync(meta)).toBe(true);
  });
});
