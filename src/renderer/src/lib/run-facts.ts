/** The line under a run's title: preset, dataset, batch, seed and the recipes it switches on, one " · " between each. */
import type { TrainingConfig } from '../../../shared/config';
import { describeRecipes } from '../../../shared/config-fields';

export function runFacts(datasetName: string, config: TrainingConfig): string {
  const recipes = describeRecipes(config);
  return [config.preset, datasetName, `batch ${config.batchSize}`, `seed ${config.seed}`, ...(recipes === 'none' ? [] : [recipes])].join(' · ');
}
