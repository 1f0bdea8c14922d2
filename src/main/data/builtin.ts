/**
 * The shipped sample dataset: Fashion-MNIST's 10,000-image test set (MIT,
 * Zalando SE), so the studio trains offline on first launch.
 */
import { join } from 'node:path';
import { resourcesDir } from '../paths';

/** Path of the built-in sample (a folder of IDX files with classes.json), for importDataset. */
export function builtinDatasetSource(): string {
  return join(resourcesDir(), 'sample-datasets', 'fashion-mnist');
}
