/**
 * Generate from a run's saved generator: a grid of fresh samples, each sample
 * as its own PNG, or a slerp interpolation between two samples as a strip PNG
 * or a GIF/MP4 (encoded by the same ffmpeg as the progress exports). Samples
 * are named by (seed, index), see latents.ts. No Electron here: the CLI calls
 * it in-process, the studio in a child process (worker.ts), because drawing
 * 64 images of a 32×32 preset takes seconds on wasm and far longer on cpu.
 */
import type * as tf from '@tensorflow/tfjs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import sharp from 'sharp';
import type { Progress } from '../../shared/api';
import type { GenerateSpec, GeneratorCheckpoint } from '../../shared/generate';
import { encoderArgs } from '../export/animation';
import { writeFileAtomically } from '../export/atomic-output';
import { throwIfCancelled } from '../export/errors';
import { resolveFfmpeg } from '../export/ffmpeg';
import { runFfmpeg } from '../export/ffmpeg-run';
import { readRunRecord } from '../runs';
import { loadModelFromDir } from '../training/models';
import { watchActiveGpuDevice, type GpuDeviceWatch } from '../training/device-watch';
import { tileImagesPng, type GeneratedImages } from '../training/sample-grid';
import { chooseCheckpoint, describeCheckpoint, generatorDirOf, listGeneratorCheckpoints } from './checkpoints';
import { drawImages } from './draw';
import { interpolationLatents, latentAt, sampleLatents } from './latents';

/** One thing to generate from one run. */
export interface GenerateJob {
  runDir: string;
  /** Which checkpoint (by epoch or step; default the newest) and whether to use its EMA generator. */
  generator?: { epoch?: number; step?: number; ema?: boolean };
  spec: GenerateSpec;
  /** A file for a grid or an interpolation, a folder for images. */
  out: string;
}

export interface GenerateOutcome {
  checkpoint: GeneratorCheckpoint;
  ema: boolean;
  /** Absolute paths written. */
  files: string[];
  /** One line for a terminal, e.g. "64 samples of seed 1 (epoch 3) → …". */
  summary: string;
  /** Damaged newer checkpoints passed over for the one used, one sentence each. */
  notes?: string[];
}

export interface GenerateOptions {
  signal?: AbortSignal;
  onProgress?: (progress: Progress) => void;
}

/** Frames per second of interpolation animations unless asked otherwise. */
export const DEFAULT_INTERPOLATION_FPS = 12;

/** Load the chosen generator, make what `job.spec` asks for, write it, dispose the model. */
export async function runGenerateJob(job: GenerateJob, options: GenerateOptions = {}): Promise<GenerateOutcome> {
  const record = await readRunRecord(job.runDir);
  const { checkpoint, notes } = chooseCheckpoint(await listGeneratorCheckpoints(job.runDir), { ...job.generator, runName: record.name });
  const ema = job.generator?.ema ?? false;
  const model = await loadModelFromDir(generatorDirOf(checkpoint, ema, record.name));
  const from = `${describeCheckpoint(checkpoint)}${ema ? ', EMA generator' : ''}`;
  const watch = watchActiveGpuDevice();
  try {
    throwIfCancelled(options.signal);
    const files = await make(model, record.config.latentDim, job, { ...options, watch });
    const summary = `${describeSpec(job.spec)} (${from}) → ${files.length === 1 ? files[0] : `${files.length} files in ${resolve(job.out)}`}`;
    return { checkpoint: withoutDir(checkpoint), ema, files, summary, ...(notes.length > 0 ? { notes } : {}) };
  } finally {
    watch?.dispose();
    model.dispose();
  }
}

function withoutDir({ step, epoch, stepInEpoch, hasEma }: GeneratorCheckpoint): GeneratorCheckpoint {
  return { step, epoch, stepInEpoch, hasEma };
}

function describeSpec(spec: GenerateSpec): string {
  if (spec.kind === 'interpolation') return `${spec.frames}-frame interpolation from sample ${spec.from} to ${spec.to} of seed ${spec.seed} as ${spec.format.toUpperCase()}`;
  return `${spec.count} sample${spec.count === 1 ? '' : 's'} of seed ${spec.seed}${spec.kind === 'grid' ? ' as a grid' : ''}`;
}

async function make(model: tf.LayersModel, latentDim: number, job: GenerateJob, options: GenerateOptions & { watch?: GpuDeviceWatch }): Promise<string[]> {
  const { spec } = job;
  const out = resolve(job.out);
  const report = (done: number, total: number, message: string) => options.onProgress?.({ operation: `generate ${spec.kind}`, done, total, message });
  if (spec.kind === 'interpolation') {
    const latents = interpolationLatents(latentAt(spec.seed, spec.from, latentDim), latentAt(spec.seed, spec.to, latentDim), spec.frames);
    report(0, 2, `drawing ${spec.frames} frames`);
    const images = await drawImages(model, latents, latentDim, options.watch);
    report(1, 2, `writing ${spec.format}`);
    if (spec.format === 'png') await writeFileAtomically(out, (temp) => tileImagesPng(images, 1, spec.frames).then((png) => writeFile(temp, png)));
    else await writeInterpolationAnimation(images, spec.format, spec.fps ?? DEFAULT_INTERPOLATION_FPS, out, options.signal);
    report(2, 2, `wrote ${out}`);
    return [out];
  }
  report(0, spec.count + 1, `drawing ${spec.count} samples`);
  const images = await drawImages(model, sampleLatents(spec.seed, spec.count, latentDim), latentDim, options.watch);
  if (spec.kind === 'grid') {
    const cols = Math.ceil(Math.sqrt(spec.count));
    const png = await tileImagesPng(images, Math.ceil(spec.count / cols), cols);
    await writeFileAtomically(out, (temp) => writeFile(temp, png));
    return [out];
  }
  await mkdir(out, { recursive: true });
  const files: string[] = [];
  for (let index = 0; index < spec.count; index += 1) {
    throwIfCancelled(options.signal);
    const file = join(out, sampleFileName(spec.seed, index));
    await writeFileAtomically(file, async (temp) => writeFile(temp, await imagePng(images, index)));
    files.push(file);
    report(index + 1, spec.count + 1, `wrote ${index + 1}/${spec.count}`);
  }
  return files;
}

/** seed-42-007.png: sample 7 of seed 42. */
export function sampleFileName(seed: number, index: number): string {
  return `seed-${seed}-${String(index).padStart(3, '0')}.png`;
}

/** One generated image as a PNG at its native size. */
function imagePng(images: GeneratedImages, index: number): Promise<Buffer> {
  const { size, channels } = images;
  const bytes = size * size * channels;
  return sharp(images.pixels.subarray(index * bytes, (index + 1) * bytes), { raw: { width: size, height: size, channels } }).png().toBuffer();
}

/** Integer upscale to about 256 px, even-sized (yuv420p MP4 needs even dimensions). */
export function animationScale(size: number): number {
  const scale = Math.max(1, Math.ceil(256 / size));
  return (size * scale) % 2 === 0 ? scale : scale + 1;
}

/**
 * The frames a → b, then back to just after a (ping-pong), upscaled with
 * nearest-neighbour and encoded by ffmpeg; the loop has no jump.
 */
async function writeInterpolationAnimation(images: GeneratedImages, format: 'gif' | 'mp4', fps: number, out: string, signal?: AbortSignal): Promise<void> {
  const ffmpeg = resolveFfmpeg();
  const args = await encoderArgs(format, ffmpeg);
  const order = [...Array(images.count).keys(), ...Array.from({ length: images.count - 2 }, (_, i) => images.count - 2 - i)];
  const side = images.size * animationScale(images.size);
  const framesDir = await mkdtemp(join(tmpdir(), 'gan-studio-interpolation-'));
  try {
    for (const [position, index] of order.entries()) {
      throwIfCancelled(signal);
      const png = await sharp(await imagePng(images, index)).resize({ width: side, height: side, kernel: 'nearest' }).png().toBuffer();
      await writeFile(join(framesDir, `frame-${String(position + 1).padStart(5, '0')}.png`), png);
    }
    await writeFileAtomically(out, (temp) =>
      runFfmpeg(['-framerate', String(fps), '-i', join(framesDir, 'frame-%05d.png'), ...args, temp], { ffmpegPath: ffmpeg.path, signal }),
    );
  } finally {
    await rm(framesDir, { recursive: true, force: true });
  }
}
