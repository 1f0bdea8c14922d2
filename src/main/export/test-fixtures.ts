/**
 * Builds real run directories for export tests without training: run.json
 * through src/main/runs, real PNG grids (sharp) whose content changes
 * visibly per epoch, real metrics.jsonl / epochs.jsonl lines, and optionally
 * a real tiny generator checkpoint.
 */
import { spawnSync } from 'node:child_process';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import sharp from 'sharp';
import { resolveTrainingConfig, type TrainingConfigInput } from '../../shared/config';
import type { EpochMetrics, StepMetrics } from '../../shared/metrics';
import type { ScoreMap, ScoresRecord } from '../../shared/scores';
import { createRunDir, sampleFileName, updateRunRecord } from '../runs';

export interface FixtureRun {
  id: string;
  name?: string;
  /** Epochs with a saved grid and metrics (the run may be configured for more). */
  epochs: number;
  config?: TrainingConfigInput;
  stepsPerEpoch?: number;
  /** Quality scores of epochs 1, 2, … (written to scores.jsonl as the trainer's score hook does). */
  scores?: ScoreMap[];
  /** Generated images per scoring (default 64); another size puts the scores on another scale. */
  scoreSampleSize?: number;
}

/** What fixture scores say they were measured with. */
export const FIXTURE_FEATURE: ScoresRecord['feature'] = {
  network: 'fixture classifier',
  accuracy: 0.9,
  realRecognisable: { value: 90, std: 1, n: 64 },
};

const TILE = 16;
const GAP = 2;

/**
 * A grid whose tiles hold a bright disk that grows every epoch (up to
 * epoch 8) on a dark background, so consecutive frames clearly differ.
 */
export async function fixtureGrid(epoch: number, rows = 4, cols = 4): Promise<Buffer> {
  const width = cols * TILE + (cols - 1) * GAP;
  const height = rows * TILE + (rows - 1) * GAP;
  const pixels = new Uint8Array(width * height).fill(255);
  const radius = Math.min(7.5, 1.5 + 0.75 * epoch);
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < cols; c++) {
      for (let y = 0; y < TILE; y++) {
        for (let x = 0; x < TILE; x++) {
          const inside = (x - 7.5) ** 2 + (y - 7.5) ** 2 <= radius ** 2;
          const value = inside ? 230 : 40 + ((r + c) % 2) * 20;
          pixels[(r * (TILE + GAP) + y) * width + c * (TILE + GAP) + x] = value;
        }
      }
    }
  }
  return sharp(pixels, { raw: { width, height, channels: 1 } }).png().toBuffer();
}

function stepRecord(step: number, epoch: number): StepMetrics {
  const t = step / 10;
  return {
    step,
    epoch,
    gen_loss: 0.7 + 0.6 * (1 - Math.exp(-t)),
    disc_loss: 1.4 - 0.3 * (1 - Math.exp(-t)),
    real_accuracy: 0.6 + 0.2 * Math.exp(-t),
    fake_accuracy: 0.5 + 0.45 * Math.exp(-t),
    ms: 12,
  };
}

/** Write a run folder under `runsRoot`; returns its path. */
export async function makeFixtureRun(runsRoot: string, fixture: FixtureRun): Promise<string> {
  const config = resolveTrainingConfig({ preset: 'tiny', seed: 7, epochs: fixture.epochs, ...fixture.config });
  const { dir } = await createRunDir(runsRoot, {
    id: fixture.id,
    name: fixture.name ?? fixture.id,
    config,
    dataset: { id: 'fixture', name: 'fixture shapes', fingerprint: 'f1x', dir: runsRoot },
  });
  const stepsPerEpoch = fixture.stepsPerEpoch ?? 4;
  const steps: string[] = [];
  const epochs: string[] = [];
  for (let epoch = 1; epoch <= fixture.epochs; epoch++) {
    const records = Array.from({ length: stepsPerEpoch }, (_, i) => stepRecord((epoch - 1) * stepsPerEpoch + i + 1, epoch));
    steps.push(...records.map((record) => JSON.stringify(record)));
    const mean = (key: keyof StepMetrics): number => records.reduce((sum, record) => sum + record[key], 0) / records.length;
    const epochRecord: EpochMetrics = {
      epoch,
      step: epoch * stepsPerEpoch,
      gen_loss: mean('gen_loss'),
      disc_loss: mean('disc_loss'),
      real_accuracy: mean('real_accuracy'),
      fake_accuracy: mean('fake_accuracy'),
      images_per_second: 1000,
      seconds: 0.05,
    };
    epochs.push(JSON.stringify(epochRecord));
    await writeFile(join(dir, sampleFileName('epoch', epoch)), await fixtureGrid(epoch, config.gridRows, config.gridCols));
  }
  await writeFile(join(dir, 'metrics.jsonl'), steps.join('\n') + '\n');
  await writeFile(join(dir, 'epochs.jsonl'), epochs.join('\n') + '\n');
  if (fixture.scores) {
    const records: ScoresRecord[] = fixture.scores.map((scores, i) => ({
      epoch: i + 1,
      step: (i + 1) * stepsPerEpoch,
      seconds: 0.1,
      sampleSize: fixture.scoreSampleSize ?? 64,
      feature: FIXTURE_FEATURE,
      scores,
    }));
    await writeFile(join(dir, 'scores.jsonl'), records.map((record) => JSON.stringify(record)).join('\n') + '\n');
  }
  await updateRunRecord(dir, { status: 'completed', epoch: fixture.epochs, step: fixture.epochs * stepsPerEpoch });
  return dir;
}

/**
 * Save a real tiny generator as the run's checkpoint at `step`, with the state.json (counters and
 * the size and SHA-256 of each file) a trainer writes; returns the generator folder. Loads tf.js on first use.
 */
export async function addFixtureCheckpoint(runDir: string, step: number, config: TrainingConfigInput = {}, completedEpochs = Math.floor(step / 4)): Promise<string> {
  const { buildGenerator, saveModelToDir } = await import('../training/models');
  const { listCheckpointFiles } = await import('../training/checkpoint-integrity');
  const resolved = resolveTrainingConfig({ preset: 'tiny', seed: 7, ...config });
  const generator = buildGenerator(resolved);
  const checkpoint = join(runDir, 'checkpoints', `step-${String(step).padStart(8, '0')}`);
  const dir = join(checkpoint, 'generator');
  await mkdir(dir, { recursive: true });
  await saveModelToDir(generator, dir);
  generator.dispose();
  const state = { version: 1, step, completedEpochs, stepInEpoch: 0, seed: resolved.seed, rng: 'mulberry32-counter', savedAt: new Date().toISOString() };
  await writeFile(join(checkpoint, 'state.json'), JSON.stringify({ ...state, files: await listCheckpointFiles(checkpoint) }, null, 2));
  return dir;
}

/** Decode every frame of a GIF/MP4/WebM with ffmpeg itself (no ffprobe needed) as 8-bit gray. */
export function decodeFrames(ffmpegPath: string, file: string): { width: number; height: number; codec: string; frames: Uint8Array[] } {
  const result = spawnSync(ffmpegPath, ['-hide_banner', '-nostdin', '-i', file, '-map', '0:v:0', '-vsync', 'passthrough', '-f', 'rawvideo', '-pix_fmt', 'gray', 'pipe:1'], {
    maxBuffer: 1 << 28,
  });
  const stderr = result.stderr.toString();
  const stream = /Stream #0:0.*?Video: (\w+).*?, (\d+)x(\d+)/.exec(stderr);
  if (result.status !== 0 || !stream) throw new Error(`ffmpeg could not decode ${file}:\n${stderr.slice(-800)}`);
  const width = Number(stream[2]);
  const height = Number(stream[3]);
  const size = width * height;
  const frames: Uint8Array[] = [];
  for (let offset = 0; offset + size <= result.stdout.length; offset += size) frames.push(result.stdout.subarray(offset, offset + size));
  return { width, height, codec: stream[1]!, frames };
}
