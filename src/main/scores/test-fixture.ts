/**
 * Test fixture: the built-in Fashion-MNIST sample imported into a cache
 * folder that outlives one test run (under the OS temp folder), so its
 * classifier is trained once and reused by later runs and test files.
 */
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { builtinDatasetSource, importDataset, openDataset, type DatasetReader } from '../data';
import { selectBackend } from '../backend';
import type { FeatureNetwork } from './feature-network';
import { loadFeatureNetwork } from './feature-network';

export const FIXTURE_CACHE = join(tmpdir(), 'gan-studio-scores-fixture', 'datasets');
/** Classifier epochs in tests: enough for ~80% held-out accuracy on Fashion-MNIST. */
export const FIXTURE_EPOCHS = 2;

/** The built-in dataset, opened for reading (close it after the tests), with its (cached) classifier. */
export async function fashionFixture(): Promise<{ dataset: DatasetReader; network: FeatureNetwork }> {
  await selectBackend();
  const { dir } = await importDataset(builtinDatasetSource(), {}, { cacheRoot: FIXTURE_CACHE });
  const dataset = await openDataset(dir);
  return { dataset, network: await loadFeatureNetwork(dataset, { epochs: FIXTURE_EPOCHS }) };
}
