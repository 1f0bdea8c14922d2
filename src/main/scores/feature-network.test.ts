/**
 * The feature network's cache and the no-training fallback: a classifier is
 * trained once per dataset, reused while the dataset is the same, retrained
 * when its fingerprint changes; unlabelled data gets a fixed projection.
 */
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { DatasetManifest } from '../../shared/dataset';
import { openDataset } from '../data';
import { selectBackend } from '../backend';
import { writeSquaresDataset } from '../common/test-support';
import { CLASSIFIER_DIR, loadFeatureNetwork, PROJECTION_DIM, randomProjectionNetwork } from './feature-network';
import type { ImageSet } from './images';
import { readImageSet } from './images';
import { scoreImages } from './score-images';

let dir: string;

beforeAll(async () => {
  await selectBackend({ forced: 'cpu' });
  dir = await writeSquaresDataset(join(await mkdtemp(join(tmpdir(), 'feature-network-')), 'labelled'), 40);
  // Labels by index parity: a cache test needs labels, not learnable ones.
  const labels = Uint8Array.from({ length: 40 }, (_, i) => i % 2);
  const manifest = JSON.parse(await readFile(join(dir, 'manifest.json'), 'utf8')) as DatasetManifest;
  await writeFile(join(dir, 'labels.u8'), labels);
  await writeFile(join(dir, 'manifest.json'), JSON.stringify({ ...manifest, hasLabels: true, classNames: ['even', 'odd'], classCounts: [20, 20] }));
});

describe('feature network', () => {
  it('trains a labelled dataset’s classifier once, reuses it, and retrains it for a changed dataset', async () => {
    let batches = 0;
    const load = async () => {
      const dataset = await openDataset(dir);
      try {
        return await loadFeatureNetwork(dataset, { epochs: 1, onProgress: () => (batches += 1) });
      } finally {
        await dataset.close();
      }
    };
    const first = await load();
    expect(batches).toBeGreaterThan(0);
    expect(first.classifies).toBe(true);
    const image: ImageSet = { data: new Float32Array(32 * 32).fill(0.5), n: 1, height: 32, width: 32, channels: 1 };
    const embedded = await first.embed(image);
    expect(embedded.features.dim).toBe(64);
    // Two classes plus "none of these".
    expect(embedded.probabilities!.dim).toBe(3);
    first.dispose();

    const trained = batches;
    const second = await load();
    expect(batches).toBe(trained);
    expect(second.feature.accuracy).toBe(first.feature.accuracy);
    second.dispose();

    const manifest = JSON.parse(await readFile(join(dir, 'manifest.json'), 'utf8')) as DatasetManifest;
    await writeFile(join(dir, 'manifest.json'), JSON.stringify({ ...manifest, source: { ...manifest.source, fingerprint: 'changed' } }));
    const third = await load();
    expect(batches).toBeGreaterThan(trained);
    third.dispose();
    expect(JSON.parse(await readFile(join(dir, CLASSIFIER_DIR, 'meta.json'), 'utf8')).datasetFingerprint).toBe('changed');
  });

  it('projects unlabelled images of any size onto fixed directions, without training', async () => {
    const network = randomProjectionNetwork(1);
    expect(network.classifies).toBe(false);
    expect(network.feature.network).toMatch(/random projection of 16×16 pixels/);
    const set = (side: number, value: number): ImageSet => ({ data: new Float32Array(side * side).fill(value), n: 1, height: side, width: side, channels: 1 });
    const a = await network.embed(set(28, 0.9));
    const b = await randomProjectionNetwork(1).embed(set(64, 0.9));
    expect(a.features.dim).toBe(PROJECTION_DIM);
    expect(a.probabilities).toBeUndefined();
    // Same picture at another size: the same features (both are resized to 16×16 first).
    a.features.data.forEach((v, i) => expect(v).toBeCloseTo(b.features.data[i]!, 5));
    // Mid-gray is the projection's origin.
    expect((await network.embed(set(16, 0.5))).features.data.every((v) => Math.abs(v) < 1e-6)).toBe(true);
  });

  it('scoreImages loads the dataset’s network by itself, and says which scores an unlabelled dataset cannot give', async () => {
    const plain = await writeSquaresDataset(join(await mkdtemp(join(tmpdir(), 'feature-network-')), 'plain'), 30);
    const dataset = await openDataset(plain);
    const generated = await readImageSet(dataset, { height: 16, width: 16, channels: 1 }, Array.from({ length: 12 }, (_, i) => i));
    const result = await scoreImages({ generated, dataset, sampleSize: 20 });
    await dataset.close();
    expect(Object.keys(result.scores)).toEqual(['kid', 'swd']);
    expect(result.scores.kid).toMatchObject({ n: 12 });
    expect(result.skipped.map((s) => s.name)).toEqual(['fid', 'precision', 'recall', 'recognisable']);
    expect(result.feature.network).toMatch(/random projection/);
  });
});
