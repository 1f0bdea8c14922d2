/**
 * Hyper-parameter validation messages in the words the user typed: the CLI
 * flag first (the config field in brackets, as run.json names it), one line
 * per flag.
 */
import type { z } from 'zod';

/** Config field → the `train` flag that sets it. */
export const CONFIG_FLAGS: Readonly<Record<string, string>> = {
  preset: '--preset',
  epochs: '--epochs',
  batchSize: '--batch-size',
  seed: '--seed',
  latentDim: '--latent-dim',
  filterScale: '--filter-scale',
  generatorLearningRate: '--g-lr',
  discriminatorLearningRate: '--d-lr',
  generatorBeta1: '--g-beta1',
  discriminatorBeta1: '--d-beta1',
  batchNormMomentum: '--bn-momentum',
  leakyReluAlpha: '--leaky-alpha',
  dropout: '--dropout',
  checkpointEvery: '--checkpoint-every',
  backend: '--backend',
};

/**
 * One line per offending field. zod may report several bounds for one field
 * (`.int()` adds the safe-integer range, `.max()` chains keep the looser one
 * first); the last issue is the tightest, so that one is kept.
 */
export function describeHyperParameterError(error: z.ZodError): string {
  const byField = new Map<string, string>();
  for (const issue of error.issues) {
    const field = issue.path.join('.') || 'config';
    const flag = CONFIG_FLAGS[field];
    byField.set(field, `${flag ? `${flag} (${field})` : field}: ${issue.message}`);
  }
  return [...byField.values()].join('\n');
}
