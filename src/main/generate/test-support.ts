/**
 * A real tiny run for the Generate and TensorBoard tests: the squares
 * dataset, the tiny preset (16×16×1) trained in-process on cpu for a few
 * steps, checkpoints after every epoch.
 */
import { join } from 'node:path';
import { resolveTrainingConfig, type TrainingConfigInput } from '../../shared/config';
import type { TrainerEvent } from '../../shared/trainer-protocol';
import { TrainingControl } from '../training/control';
import { writeSquaresDataset } from '../common/test-support';
import { runTrainer } from '../training/trainer-run';

/** Train (or, with `resume`, continue) `runDir` on 20 squares, batch 8: 2 steps per epoch. */
export async function trainTinyRun(
  runDir: string,
  options: { epochs?: number; config?: TrainingConfigInput; resume?: boolean; control?: TrainingControl; onEvent?: (event: TrainerEvent) => void } = {},
): Promise<TrainerEvent> {
  const datasetDir = await writeSquaresDataset(join(runDir, '..', 'squares-dataset'), 20);
  const config = resolveTrainingConfig({ preset: 'tiny', seed: 7, batchSize: 8, epochs: options.epochs ?? 3, gridRows: 2, gridCols: 2, checkpointEvery: 1, ...options.config });
  return runTrainer(
    { type: 'start', runDir, datasetDir, config: options.resume ? undefined : config, resume: options.resume ?? false, backend: 'cpu' },
    (event) => options.onEvent?.(event),
    options.control ?? new TrainingControl(),
  );
}
