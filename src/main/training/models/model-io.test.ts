import { mkdir, mkdtemp, readFile, rm, truncate, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolveTrainingConfig } from '../../../shared/config';
import { buildDiscriminator, buildGenerator } from './build';
import { loadModelFromDir, ModelIOError, saveModelToDir } from '../../common/model-io';

let root: string;
const config = resolveTrainingConfig({ preset: 'tiny', seed: 11 });

beforeAll(async () => {
  root = await mkdtemp(path.join(tmpdir(), 'gan-studio-model-io-'));
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

async function freshDir(name: string): Promise<string> {
  const dir = path.join(root, name);
  await rm(dir, { recursive: true, force: true });
  await mkdir(dir);
  return dir;
}

function predict(model: tf.LayersModel, input: tf.Tensor): Float32Array {
  return tf.tidy(() => (model.predict(input) as tf.Tensor).dataSync() as Float32Array);
}

describe('saveModelToDir / loadModelFromDir', () => {
  it.each([
    ['generator', () => buildGenerator(config), [4, 16]],
    ['discriminator', () => buildDiscriminator(config), [4, 16, 16, 1]],
  ] as const)('round-trips the %s with identical predictions', async (name, build, inputShape) => {
    const dir = await freshDir(name);
    const model = build();
    // Perturb the BN moving statistics so non-trainable weights are checked too.
    model.setWeights(model.getWeights().map((w, i) => tf.tidy(() => w.add(0.01 * (i + 1)))));
    await saveModelToDir(model, dir);
    const loaded = await loadModelFromDir(dir);
    const input = tf.randomNormal([...inputShape], 0, 1, 'float32', 5);
    try {
      expect(loaded.name).toBe(name);
      expect(loaded.layers.map((l) => l.name)).toEqual(model.layers.map((l) => l.name));
      expect(Array.from(predict(loaded, input))).toEqual(Array.from(predict(model, input)));
    } finally {
      input.dispose();
      model.dispose();
      loaded.dispose();
    }
  });

  it('writes the standard tf.js layout: model.json naming weights.bin', async () => {
    const dir = await freshDir('layout');
    const model = buildGenerator(config);
    await saveModelToDir(model, dir);
    const json = JSON.parse(await readFile(path.join(dir, 'model.json'), 'utf8'));
    const weights = await readFile(path.join(dir, 'weights.bin'));
    expect(json.format).toBe('layers-model');
    expect(json.modelTopology.config.name).toBe('generator');
    expect(json.weightsManifest).toHaveLength(1);
    expect(json.weightsManifest[0].paths).toEqual(['weights.bin']);
    expect(json.weightsManifest[0].weights[0]).toMatchObject({ name: 'dense/kernel', shape: [16, 256], dtype: 'float32' });
    expect(weights.byteLength).toBe(model.countParams() * 4);
    model.dispose();
  });

  describe('bad folders fail with a ModelIOError', () => {
    let saved: string;
    beforeAll(async () => {
      saved = await freshDir('saved');
      const model = buildDiscriminator(config);
      await saveModelToDir(model, saved);
      model.dispose();
    });

    it('a folder without model.json', async () => {
      const dir = await freshDir('empty');
      await expect(loadModelFromDir(dir)).rejects.toThrow(ModelIOError);
      await expect(loadModelFromDir(dir)).rejects.toThrow(/Expected a saved model at .*model\.json/);
    });

    it('a corrupt model.json', async () => {
      const dir = await freshDir('corrupt');
      await writeFile(path.join(dir, 'model.json'), '{"modelTopology": ');
      await expect(loadModelFromDir(dir)).rejects.toThrow(/Expected JSON in .*unparseable/);
    });

    it('JSON that is not a LayersModel', async () => {
      const dir = await freshDir('not-a-model');
      await writeFile(path.join(dir, 'model.json'), '{"hello": "world"}');
      await expect(loadModelFromDir(dir)).rejects.toThrow(/Expected a tf\.js LayersModel/);
    });

    it('a truncated weights.bin', async () => {
      const dir = await freshDir('truncated');
      await writeFile(path.join(dir, 'model.json'), await readFile(path.join(saved, 'model.json')));
      await writeFile(path.join(dir, 'weights.bin'), await readFile(path.join(saved, 'weights.bin')));
      await truncate(path.join(dir, 'weights.bin'), 100);
      await expect(loadModelFromDir(dir)).rejects.toThrow(/Expected \d+ bytes of weights .* got 100/);
    });

    it('a missing weights.bin', async () => {
      const dir = await freshDir('no-weights');
      await writeFile(path.join(dir, 'model.json'), await readFile(path.join(saved, 'model.json')));
      await expect(loadModelFromDir(dir)).rejects.toThrow(/Expected weights file .*weights\.bin/);
    });

    it('a manifest path that leaves the folder', async () => {
      const dir = await freshDir('escape');
      const json = JSON.parse(await readFile(path.join(saved, 'model.json'), 'utf8'));
      json.weightsManifest[0].paths = ['../saved/weights.bin'];
      await writeFile(path.join(dir, 'model.json'), JSON.stringify(json));
      await expect(loadModelFromDir(dir)).rejects.toThrow(/Expected a weights file name inside/);
    });
  });
});
