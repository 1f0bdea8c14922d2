/**
 * The shape of a recorded seed-spread fixture (src/shared/fixtures/*.json,
 * written by src/cli/record-seed-scores.ts): one config trained with many
 * seeds, each seed's score values per scored epoch. The verdict's null test
 * draws arms from it.
 */
import type { ScoreName } from './scores';

export interface SeedScoresFixture {
  preset: string;
  /** The `gan-studio train` flags beyond preset, epochs and seed ('' for the preset as it is). */
  trainArgs: string;
  /** The dataset's display name. */
  dataset: string;
  /** The feature network every seed was scored with. */
  network: string;
  /** Generated images per scoring. */
  sampleSize: number;
  seeds: {
    seed: number;
    /** Each scored epoch: the score values, and each score's own std (its spread at sampleSize within one run). */
    epochs: { epoch: number; values: Partial<Record<ScoreName, number>>; stds: Partial<Record<ScoreName, number>> }[];
  }[];
}
