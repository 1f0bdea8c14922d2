/**
 * compareRuns on fixture runs: the shared-latents verdict (latent size, seed,
 * noise.bin) and a config diff that lists only what differs.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compareRuns } from './compare';
import { makeFixtureRun } from './test-fixtures';

let root: string;
let base: string;

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'export-compare-'));
  base = await makeFixtureRun(root, { id: 'base', epochs: 1, config: { seed: 5 } });
});

afterAll(() => rm(root, { recursive: true, force: true }));

describe('compareRuns', () => {
  it('lists only the changed hyper-parameters, in run order', async () => {
    const variant = await makeFixtureRun(root, { id: 'variant', epochs: 1, config: { seed: 5, discriminatorLearningRate: 0.0001, batchSize: 7 } });
    const result = await compareRuns([base, variant]);
    expect(result.sharedNoise).toBe(true);
    expect(result.reason).toBeUndefined();
    const tiny = (await import('../../shared/preset-catalog')).PRESETS.tiny.training;
    expect(result.configDiff).toEqual([
      { key: 'batchSize', values: [tiny.batchSize, 7] },
      { key: 'discriminatorLearningRate', values: [tiny.discriminatorLearningRate, 0.0001] },
    ]);
  });

  it('says the latents differ when the seeds or latent sizes differ', async () => {
    const otherSeed = await makeFixtureRun(root, { id: 'other-seed', epochs: 1, config: { seed: 6 } });
    expect(await compareRuns([base, otherSeed])).toMatchObject({ sharedNoise: false, reason: expect.stringMatching(/seeds differ \(5 vs 6\)/) });
    const wider = await makeFixtureRun(root, { id: 'wider', epochs: 1, config: { seed: 5, latentDim: 32 } });
    const result = await compareRuns([base, wider, otherSeed]);
    expect(result).toMatchObject({ sharedNoise: false, reason: expect.stringMatching(/latent sizes differ \(16 vs 32 vs 16\)/) });
    expect(result.configDiff.map((d) => d.key)).toEqual(['latentDim', 'seed']);
    expect(result.configDiff[0]!.values).toEqual([16, 32, 16]);
  });

  it('trusts noise.bin over the seed when both runs have one', async () => {
    const a = await makeFixtureRun(root, { id: 'noise-a', epochs: 1, config: { seed: 5 } });
    const b = await makeFixtureRun(root, { id: 'noise-b', epochs: 1, config: { seed: 5 } });
    const noise = new Float32Array(16 * 16).map((_, i) => Math.sin(i));
    await writeFile(join(a, 'noise.bin'), new Uint8Array(noise.buffer));
    await writeFile(join(b, 'noise.bin'), new Uint8Array(noise.buffer));
    expect((await compareRuns([a, b])).sharedNoise).toBe(true);
    noise[3] = 42;
    await writeFile(join(b, 'noise.bin'), new Uint8Array(noise.buffer));
    expect(await compareRuns([a, b])).toMatchObject({ sharedNoise: false, reason: expect.stringMatching(/noise\.bin/) });
  });

  it('needs 2 to 4 runs', async () => {
    await expect(compareRuns([base])).rejects.toThrow(/Expected 2 to 4 runs/);
  });
});
