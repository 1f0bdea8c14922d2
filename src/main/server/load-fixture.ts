/**
 * A long run made on disk, for the `serve` load test and benchmark: a real
 * metrics.jsonl of `steps` records (written in chunks, never held whole) and
 * its epochs.jsonl, with values that wander like training curves and one
 * known spike and dip so downsampling can be checked against them.
 * Optionally a grid PNG per epoch and a score record every few epochs, as a
 * trainer writes them: a run of many short epochs has thousands of each.
 */
import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import sharp from 'sharp';
import { resolveTrainingConfig } from '../../shared/config';
import type { EpochMetrics, StepMetrics } from '../../shared/metrics';
import type { ScoresRecord } from '../../shared/scores';
import { createRunDir, RUN_FILES, sampleFileName } from '../runs';

/** Where the known extremes sit: the one step whose gen_loss is the run's max, and the one whose disc_loss is its min. */
export const spikeAt = (steps: number): number => Math.floor(steps * 0.37) + 1;
export const dipAt = (steps: number): number => Math.floor(steps * 0.71) + 1;
export const SPIKE_GEN_LOSS = 50;
export const DIP_DISC_LOSS = -1;

/** The step record of `step` (deterministic, so tests can recompute any value). */
export function syntheticStep(step: number, steps: number, stepsPerEpoch: number): StepMetrics {
  const wave = Math.sin(step / 97) * 0.3 + Math.sin(step / 13) * 0.1;
  return {
    step,
    epoch: Math.ceil(step / stepsPerEpoch),
    gen_loss: step === spikeAt(steps) ? SPIKE_GEN_LOSS : 2 + wave,
    disc_loss: step === dipAt(steps) ? DIP_DISC_LOSS : 1 - wave / 2,
    real_accuracy: ((step * 7) % 64) / 64,
    fake_accuracy: ((step * 11) % 64) / 64,
    ms: 20 + (step % 5),
  };
}

/** What else a long run holds besides its step and epoch records. */
export interface LongRunExtras {
  /** A grid PNG after every complete epoch (samples/epoch-NNNN.png). */
  samples?: boolean;
  /** A score record every this many epochs (scores.jsonl); none when absent. */
  scoreEvery?: number;
}

/** The score record of `epoch` (FID falling as training goes, so charts and verdicts have a trend). */
export function syntheticScores(epoch: number, step: number): ScoresRecord {
  return {
    epoch,
    step,
    seconds: 1.5,
    sampleSize: 256,
    generator: 'generator',
    feature: { network: 'random projection of 16×16 pixels to 64 dims (no labels, no training)' },
    scores: { fid: { value: 100 / Math.sqrt(epoch), std: 0.5, n: 256 }, swd: { value: 5 / Math.sqrt(epoch), std: 0.1, n: 256 } },
  };
}

/** Create a run folder under `runsRoot` holding `steps` step records (an epoch record per complete epoch); returns its id. */
export async function writeLongRun(runsRoot: string, datasetDir: string, steps: number, stepsPerEpoch = 1000, extras: LongRunExtras = {}): Promise<string> {
  const epochs = Math.ceil(steps / stepsPerEpoch);
  const { record, dir } = await createRunDir(runsRoot, {
    config: resolveTrainingConfig({ preset: 'tiny', epochs, seed: 1 }),
    dataset: { id: 'ds', name: 'ds', fingerprint: 'f', dir: datasetDir },
    name: `long run ${steps} steps`,
  });
  const out = createWriteStream(join(dir, RUN_FILES.metrics));
  const epochLines: string[] = [];
  let chunk = '';
  let sums = { gen_loss: 0, disc_loss: 0, real_accuracy: 0, fake_accuracy: 0 };
  for (let step = 1; step <= steps; step++) {
    const record = syntheticStep(step, steps, stepsPerEpoch);
    chunk += JSON.stringify(record) + '\n';
    for (const key of Object.keys(sums) as (keyof typeof sums)[]) sums[key] += record[key];
    if (step % stepsPerEpoch === 0) {
      // Epoch means of its steps, as the trainer writes them (the spike's epoch has the highest gen_loss mean).
      const mean = (key: keyof typeof sums): number => sums[key] / stepsPerEpoch;
      const epoch: EpochMetrics = {
        epoch: step / stepsPerEpoch, step, gen_loss: mean('gen_loss'), disc_loss: mean('disc_loss'),
        real_accuracy: mean('real_accuracy'), fake_accuracy: mean('fake_accuracy'), images_per_second: 100, seconds: 20,
      };
      epochLines.push(JSON.stringify(epoch) + '\n');
      sums = { gen_loss: 0, disc_loss: 0, real_accuracy: 0, fake_accuracy: 0 };
    }
    if (chunk.length > 1 << 20 || step === steps) {
      if (!out.write(chunk)) await once(out, 'drain');
      chunk = '';
    }
  }
  out.end();
  await once(out, 'finish');
  const epochsOut = createWriteStream(join(dir, RUN_FILES.epochs));
  epochsOut.end(epochLines.join(''));
  await once(epochsOut, 'finish');
  const complete = Math.floor(steps / stepsPerEpoch);
  if (extras.samples) {
    // One small real PNG, the same bytes for every epoch: what is measured is the list, not the pictures.
    const png = await sharp(Buffer.alloc(16 * 16, 128), { raw: { width: 16, height: 16, channels: 1 } }).png().toBuffer();
    for (let epoch = 1; epoch <= complete; epoch++) await writeFile(join(dir, sampleFileName('epoch', epoch)), png);
  }
  if (extras.scoreEvery) {
    const lines: string[] = [];
    for (let epoch = extras.scoreEvery; epoch <= complete; epoch += extras.scoreEvery) lines.push(JSON.stringify(syntheticScores(epoch, epoch * stepsPerEpoch)) + '\n');
    await writeFile(join(dir, RUN_FILES.scores), lines.join(''));
  }
  return record.id;
}
