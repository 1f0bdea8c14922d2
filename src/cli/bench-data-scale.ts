/**
 * `npm run bench -- --data-scale`: a dataset bigger than memory could hold
 * whole. The bench writes a synthetic NPY of the preset's image shape
 * (6 GiB by default), imports it, trains a trainer process on it for 100
 * steps and reports import images/s, the step time and the trainer's peak
 * resident memory, which must stay under 1.5 GiB whatever the dataset's size.
 * Everything it writes lives in one scratch folder, removed at the end
 * (also on Ctrl-C).
 */
import { createWriteStream } from 'node:fs';
import { mkdtemp, readFile, rm, statfs, unlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { once } from 'node:events';
import { parseArgs } from 'node:util';
import { BACKEND_NAMES, type BackendName } from '../shared/backends';
import { resolveTrainingConfig } from '../shared/config';
import { PRESETS } from '../shared/preset-catalog';
import { PRESET_NAMES, type PresetName } from '../shared/presets';
import type { TrainerEvent } from '../shared/trainer-protocol';
import { importDataset } from '../main/data';
import { spawnTrainerProcess } from '../main/training/trainer-process';
import { CliError } from './cli-error';
import { EXIT } from './exit-codes';

export const dataScaleHelp = `Usage: npm run bench -- --data-scale [--gib N] [--steps N] [--json]
       [--preset NAME] [--batch-size N] [--backend NAME] [--dir PATH]

Writes a synthetic NPY of uint8 images in the preset's shape (default 6 GiB;
tf-tutorial: 28×28×1, so 8.2 million images; dcgan-64: 64×64×3), imports
it, and trains a trainer process on it (batch 64) for 100 steps; prints
import images/s, the median step time and the trainer's peak resident memory
(VmHWM), which must stay under 1.5 GiB. Needs twice the dataset's size free
on disk; the scratch folder (under --dir, default the OS temp folder) is
removed at the end. With --json one object:
{datasetBytes, images, importImagesPerSecond, stepMs, peakRssBytes, …}.
dcgan-64 (--preset dcgan-64) wants a GPU backend: on the wasm backend one of
its steps takes minutes on a 2-core machine.`;

/** The trainer's resident memory must stay below this, whatever the dataset's size. */
export const PEAK_RSS_LIMIT_BYTES = 1.5 * 1024 ** 3;
/** Steps left out of the step time (kernel setup, heap growth). */
const WARMUP_STEPS = 5;

interface DataScaleOptions {
  gib: number;
  steps: number;
  json: boolean;
  preset: PresetName;
  batchSize: number;
  backend?: BackendName;
  dir: string;
}

/** What one --data-scale run measured (the --json object). */
export interface DataScaleResult {
  datasetBytes: number;
  images: number;
  /** height×width×channels. */
  imageShape: string;
  importSeconds: number;
  importImagesPerSecond: number;
  preset: PresetName;
  batchSize: number;
  backend: string;
  steps: number;
  /** Median step time after the warm-up steps (ms), as metrics.jsonl records it: waiting for the batch included. */
  stepMs: number;
  peakRssBytes: number;
  peakRssLimitBytes: number;
}

function parseOptions(argv: string[]): DataScaleOptions {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        gib: { type: 'string', default: '6' },
        steps: { type: 'string', default: '100' },
        json: { type: 'boolean', default: false },
        preset: { type: 'string', default: 'tf-tutorial' },
        'batch-size': { type: 'string', default: '64' },
        backend: { type: 'string' },
        dir: { type: 'string', default: tmpdir() },
      },
      strict: true,
    }));
  } catch (err) {
    throw new CliError(`${(err as Error).message}\n\n${dataScaleHelp}`);
  }
  const positive = (name: string, text: string, integer: boolean): number => {
    const n = Number(text);
    if (!(n > 0) || (integer && !Number.isInteger(n))) throw new CliError(`expected --${name} to be a positive ${integer ? 'integer' : 'number'}, got "${text}"`);
    return n;
  };
  if (!(PRESET_NAMES as readonly string[]).includes(values.preset)) throw new CliError(`expected --preset to be one of ${PRESET_NAMES.join(', ')}, got "${values.preset}"`);
  if (values.backend !== undefined && !(BACKEND_NAMES as readonly string[]).includes(values.backend)) {
    throw new CliError(`expected --backend to be one of ${BACKEND_NAMES.join(', ')}, got "${values.backend}"`);
  }
  return {
    gib: positive('gib', values.gib, false),
    steps: positive('steps', values.steps, true),
    json: values.json,
    preset: values.preset as PresetName,
    batchSize: positive('batch-size', values['batch-size'], true),
    ...(values.backend ? { backend: values.backend as BackendName } : {}),
    dir: values.dir,
  };
}

/** Runs the data-scale bench; exit code 0 when the trainer stayed under the memory limit. */
export async function runDataScaleBench(argv: string[]): Promise<number> {
  const options = parseOptions(argv);
  const shape = imageShape(options.preset);
  const images = Math.ceil((options.gib * 1024 ** 3) / shape.bytes);
  const datasetBytes = images * shape.bytes;
  const free = await statfs(options.dir).then((s) => s.bavail * s.bsize);
  if (free < 2 * datasetBytes + 1024 ** 3) {
    throw new CliError(`expected ${gib(2 * datasetBytes + 1024 ** 3)} free in ${options.dir} (the NPY and its import), got ${gib(free)}`, EXIT.usage, 'Pass --dir on a bigger disk, or a smaller --gib.');
  }
  const note = (text: string) => (options.json ? console.error(text) : console.log(text));
  const scratch = await mkdtemp(join(options.dir, 'gan-data-scale-'));
  // Ctrl-C must not leave gigabytes behind.
  const onInterrupt = () => void rm(scratch, { recursive: true, force: true }).finally(() => process.exit(EXIT.interrupted));
  process.once('SIGINT', onInterrupt);
  try {
    const npy = join(scratch, 'synthetic.npy');
    note(`writing ${gib(datasetBytes)} of synthetic ${shape.text} images (${images.toLocaleString('en-US')}) to ${npy}`);
    await writeSyntheticNpy(npy, images, shape);
    const started = performance.now();
    const { dir } = await importDataset(npy, {}, { cacheRoot: join(scratch, 'datasets') });
    const importSeconds = (performance.now() - started) / 1000;
    await unlink(npy);
    note(`imported in ${importSeconds.toFixed(1)} s; training ${options.steps} steps of ${options.preset} at batch ${options.batchSize}`);
    const trained = await trainSteps(join(scratch, 'run'), dir, options);
    const result: DataScaleResult = {
      datasetBytes,
      images,
      imageShape: shape.text,
      importSeconds: round(importSeconds, 2),
      importImagesPerSecond: Math.round(images / importSeconds),
      preset: options.preset,
      batchSize: options.batchSize,
      backend: trained.backend,
      steps: options.steps,
      stepMs: round(trained.stepMs, 1),
      peakRssBytes: trained.peakRssBytes,
      peakRssLimitBytes: PEAK_RSS_LIMIT_BYTES,
    };
    if (options.json) console.log(JSON.stringify(result));
    else console.log(formatResult(result));
    return result.peakRssBytes < PEAK_RSS_LIMIT_BYTES ? EXIT.ok : EXIT.failed;
  } finally {
    process.off('SIGINT', onInterrupt);
    await rm(scratch, { recursive: true, force: true });
  }
}

function formatResult(r: DataScaleResult): string {
  const verdict = r.peakRssBytes < r.peakRssLimitBytes ? 'under' : 'OVER';
  return [
    `dataset        ${gib(r.datasetBytes)} (${r.images.toLocaleString('en-US')} images of ${r.imageShape}, NPY)`,
    `import         ${r.importSeconds} s = ${r.importImagesPerSecond.toLocaleString('en-US')} images/s`,
    `training       ${r.preset} batch ${r.batchSize} on ${r.backend}: median step ${r.stepMs} ms over ${r.steps - WARMUP_STEPS} steps`,
    `trainer peak   ${gib(r.peakRssBytes)} resident (${verdict} the ${gib(r.peakRssLimitBytes)} limit)`,
  ].join('\n');
}

interface ImageShape {
  side: number;
  channels: 1 | 3;
  bytes: number;
  text: string;
}

/** The images the preset trains on: the bench's dataset has exactly this shape, so importing it resizes nothing. */
function imageShape(preset: PresetName): ImageShape {
  const { imageSize: side, channels } = PRESETS[preset];
  return { side, channels, bytes: side * side * channels, text: `${side}×${side}×${channels}` };
}

/**
 * An NPY (format 1.0) of `count` uint8 images: slices of a pseudo-random pool at shifting
 * offsets, so neighbouring images differ and nothing compresses or deduplicates away.
 */
async function writeSyntheticNpy(path: string, count: number, shape: ImageShape): Promise<void> {
  const imageBytes = shape.bytes;
  let dict = `{'descr': '|u1', 'fortran_order': False, 'shape': (${count}, ${shape.side}, ${shape.side}, ${shape.channels}), }`;
  dict += ' '.repeat((64 - ((10 + dict.length + 1) % 64)) % 64) + '\n';
  const header = Buffer.concat([Buffer.from([0x93, ...Buffer.from('NUMPY'), 1, 0, dict.length & 0xff, dict.length >> 8]), Buffer.from(dict, 'latin1')]);
  const pool = Buffer.alloc(16 * 1024 * 1024);
  let state = 0x9e3779b9;
  for (let i = 0; i < pool.length; i += 4) {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    pool.writeUInt32LE(state, i);
  }
  const out = createWriteStream(path);
  const write = async (chunk: Buffer) => {
    if (!out.write(chunk)) await once(out, 'drain');
  };
  await write(header);
  const perBlock = Math.ceil((4 * 1024 * 1024) / imageBytes);
  for (let first = 0; first < count; first += perBlock) {
    const n = Math.min(perBlock, count - first);
    const block = Buffer.allocUnsafe(n * imageBytes);
    for (let i = 0; i < n; i += 1) {
      const from = ((first + i) * 7919 * 64) % (pool.length - imageBytes);
      pool.copy(block, i * imageBytes, from, from + imageBytes);
    }
    await write(block);
  }
  out.end();
  await once(out, 'finish');
}

/** Trains a trainer process for `options.steps` steps, then stops it; its median step time and peak RSS. */
async function trainSteps(runDir: string, datasetDir: string, options: DataScaleOptions): Promise<{ backend: string; stepMs: number; peakRssBytes: number }> {
  const config = resolveTrainingConfig({ preset: options.preset, batchSize: options.batchSize, seed: 1, epochs: 1, scoreEvery: 0, earlySampleSteps: [] });
  const trainer = spawnTrainerProcess();
  const stepTimes: number[] = [];
  let backend = '?';
  let peak = 0;
  const sample = async () => (peak = Math.max(peak, await peakRss(trainer.pid)));
  const sampler = setInterval(() => void sample(), 500);
  try {
    const end = await new Promise<Extract<TrainerEvent, { type: 'finished' | 'failed' }>>((resolve, reject) => {
      let stopping = false;
      trainer.onExit(({ code, signal }) => reject(new Error(`the trainer exited (${signal ?? `code ${code}`}) before it finished`)));
      trainer.onEvent((event) => {
        if (event.type === 'started') backend = `${event.backend.name} (${event.backend.device})`;
        if (event.type === 'steps') {
          for (const step of event.steps) if (step.step > WARMUP_STEPS && step.step <= options.steps) stepTimes.push(step.ms);
          if (!stopping && event.steps.at(-1)!.step >= options.steps) {
            stopping = true;
            trainer.send({ type: 'stop' });
          }
        }
        // The trainer is still alive here: its high-water mark is final.
        if (event.type === 'finished' || event.type === 'failed') void sample().then(() => resolve(event));
      });
      trainer.send({ type: 'start', runDir, datasetDir, config, resume: false, ...(options.backend ? { backend: options.backend } : {}) });
    });
    if (end.type === 'failed') throw new Error(`training failed (${end.kind}): ${end.error.message}`);
    if (stepTimes.length === 0) throw new CliError(`expected --steps above the ${WARMUP_STEPS} warm-up steps, got ${options.steps}`);
    if (peak === 0) throw new CliError("cannot read the trainer's peak memory on this system (Linux's /proc/<pid>/status VmHWM)", EXIT.unavailable);
    return { backend, stepMs: median(stepTimes), peakRssBytes: peak };
  } finally {
    clearInterval(sampler);
    trainer.kill();
  }
}

/** A process's peak resident memory so far (Linux: VmHWM), in bytes; 0 where /proc cannot tell. */
async function peakRss(pid: number | undefined): Promise<number> {
  if (pid === undefined) return 0;
  const status = await readFile(`/proc/${pid}/status`, 'utf8').catch(() => '');
  const kib = /^VmHWM:\s+(\d+) kB$/m.exec(status)?.[1];
  return kib === undefined ? 0 : Number(kib) * 1024;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

const round = (x: number, digits: number) => Number(x.toFixed(digits));
const gib = (bytes: number) => `${(bytes / 1024 ** 3).toFixed(2)} GiB`;
