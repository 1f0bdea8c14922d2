/**
 * `npm run bench -- --quality`: train a preset (default `quick`) on the
 * built-in Fashion-MNIST in a real trainer process for a fixed wall-clock
 * budget, scoring every epoch, and print score against time — so anyone can
 * check the claim "recognisable within 5 minutes". Seconds count from the
 * trainer's spawn: backend start, training, and the per-epoch scoring a user
 * also waits for. Training the dataset's score classifier (once per dataset,
 * then cached) happens before the clock starts and is reported on its own.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { BACKEND_NAMES, type BackendName } from '../shared/backends';
import { resolveTrainingConfig } from '../shared/config';
import { PRESETS } from '../shared/preset-catalog';
import { PRESET_NAMES, type PresetName } from '../shared/presets';
import type { ScoresRecord } from '../shared/scores';
import { builtinDatasetSource, importDataset } from '../main/data';
import { defaultDatasetsRoot } from '../main/studio-home';
import { spawnTrainerProcess } from '../main/training/trainer-process';
import { CliError } from './cli-error';
import { EXIT } from './exit-codes';
import { processCpuSeconds } from './process-cpu';

export const qualityHelp = `Usage: npm run bench -- --quality [--seconds N] [--preset NAME] [--backend NAME] [--seed N] [--json]

Trains the preset on the built-in Fashion-MNIST for N seconds of wall time
(default 300) on --backend (default wasm, the backend of the claim in
docs/training.md), scoring after every epoch, and prints each scoring point:
seconds since the trainer started, the trainer's CPU seconds (Linux; with
GAN_STUDIO_WASM_THREADS=1, what the wall time would be on an idle core), step,
epoch and every score with its std and sample size. With --json, one JSON object per scoring point:
{"seconds", "cpuSeconds", "step", "epoch", "scores": {name: {value, std, n}}, "realRecognisable"}.`;

interface QualityOptions {
  seconds: number;
  preset: PresetName;
  backend: BackendName;
  seed: number;
  json: boolean;
}

function parseQualityOptions(argv: string[]): QualityOptions {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        quality: { type: 'boolean' },
        seconds: { type: 'string', default: '300' },
        preset: { type: 'string', default: 'quick' },
        backend: { type: 'string', default: 'wasm' },
        seed: { type: 'string', default: '1' },
        json: { type: 'boolean', default: false },
      },
      strict: true,
    }));
  } catch (err) {
    throw new CliError(`${(err as Error).message}\n\n${qualityHelp}`);
  }
  const seconds = Number(values.seconds);
  if (!Number.isFinite(seconds) || seconds <= 0) throw new CliError(`expected --seconds to be a positive number, got "${values.seconds}"`);
  if (!(PRESET_NAMES as readonly string[]).includes(values.preset)) throw new CliError(`expected --preset to be one of ${PRESET_NAMES.join(', ')}, got "${values.preset}"`);
  if (!(BACKEND_NAMES as readonly string[]).includes(values.backend)) {
    throw new CliError(`expected --backend to be one of ${BACKEND_NAMES.join(', ')}, got "${values.backend}"`);
  }
  const seed = Number(values.seed);
  if (!Number.isInteger(seed) || seed < 0) throw new CliError(`expected --seed to be a whole number ≥ 0, got "${values.seed}"`);
  return { seconds, preset: values.preset as PresetName, backend: values.backend as BackendName, seed, json: values.json };
}

/** One scoring point, as printed with --json. */
export function qualityPoint(record: ScoresRecord, seconds: number, cpuSeconds?: number): Record<string, unknown> {
  return {
    seconds: Number(seconds.toFixed(1)),
    ...(cpuSeconds === undefined ? {} : { cpuSeconds: Number(cpuSeconds.toFixed(1)) }),
    step: record.step,
    epoch: record.epoch,
    scores: record.scores,
    ...(record.feature.realRecognisable ? { realRecognisable: record.feature.realRecognisable } : {}),
  };
}

/** One scoring point's figures for the closing line. */
export interface ClaimPoint {
  seconds: number;
  cpuSeconds?: number;
  step: number;
  recognisable: number;
  realRecognisable: number;
}

/**
 * The closing line: the first point whose recognisable % is at least half of
 * held-out real images' own (the claim of docs/training.md), else the best one.
 */
export function claimLine(points: ClaimPoint[], budgetSeconds: number): string {
  const at = (p: ClaimPoint) => `${p.seconds.toFixed(0)} s wall${p.cpuSeconds === undefined ? '' : ` / ${p.cpuSeconds.toFixed(0)} s CPU`}, step ${p.step}`;
  const figures = (p: ClaimPoint) => `${p.recognisable.toFixed(1)}% vs real images' ${p.realRecognisable.toFixed(1)}%`;
  if (points.length === 0) return `no scoring point within ${budgetSeconds} s: the first epoch did not finish.`;
  const reached = points.find((p) => p.recognisable >= p.realRecognisable / 2);
  if (reached) return `reached half of real images' recognisable % at ${at(reached)}: ${figures(reached)}.`;
  const best = points.reduce((a, b) => (b.recognisable > a.recognisable ? b : a));
  return `did not reach half of real images' recognisable % within ${budgetSeconds} s; best ${figures(best)} at ${at(best)}.`;
}

function tableLine(record: ScoresRecord, seconds: number, cpuSeconds?: number): string {
  const scores = Object.entries(record.scores)
    .map(([name, score]) => `${name} ${score.value.toPrecision(3)}±${score.std.toPrecision(2)}`)
    .join('  ');
  const real = record.feature.realRecognisable ? `  (real images: recognisable ${record.feature.realRecognisable.value.toFixed(1)}%)` : '';
  const cpu = cpuSeconds === undefined ? '' : ` (cpu ${cpuSeconds.toFixed(0).padStart(4)} s)`;
  return `${seconds.toFixed(0).padStart(5)} s${cpu}  step ${String(record.step).padStart(6)}  epoch ${String(record.epoch).padStart(3)}  ${scores}${real}  n=${record.sampleSize}`;
}

export async function runQualityBench(argv: string[]): Promise<number> {
  const options = parseQualityOptions(argv);
  const preset = PRESETS[options.preset];
  const log = (text: string) => (options.json ? console.error(text) : console.log(text));
  const dataset = await importDataset(builtinDatasetSource(), { size: preset.imageSize, channels: preset.channels }, { cacheRoot: defaultDatasetsRoot() });
  const runDir = await mkdtemp(join(tmpdir(), 'gan-bench-quality-'));
  const config = resolveTrainingConfig({ preset: options.preset, seed: options.seed, epochs: 100000, scoreEvery: 1, checkpointEvery: 100000, earlySampleSteps: [] });
  log(`${options.preset} on the built-in Fashion-MNIST for ${options.seconds} s (seed ${options.seed}, batch ${config.batchSize}); run folder ${runDir}`);

  const trainer = spawnTrainerProcess();
  let spawnedAt = performance.now();
  let classifierSeconds = 0;
  let classifierStarted: number | undefined;
  let classifierRunning = false;
  // The trainer's CPU seconds, classifier excluded: on one wasm thread, its wall time on an idle core.
  const trainerCpu = () => (trainer.pid === undefined ? undefined : processCpuSeconds(trainer.pid));
  let classifierCpuStart: number | undefined;
  let classifierCpu = 0;
  let budget: NodeJS.Timeout | undefined;
  const points: ClaimPoint[] = [];
  const outcome = new Promise<number>((resolve) => {
    trainer.onEvent((event) => {
      switch (event.type) {
        case 'started':
          log(`backend: ${event.backend.name} (${event.backend.device})`);
          break;
        case 'classifier-progress':
          // The classifier is trained once per dataset: its time is kept off the quality clock.
          classifierStarted ??= performance.now();
          classifierCpuStart ??= trainerCpu();
          classifierRunning = event.done < event.total;
          if (event.done === event.total) {
            classifierSeconds = (performance.now() - classifierStarted) / 1000;
            spawnedAt += classifierSeconds * 1000;
            classifierCpu = (trainerCpu() ?? 0) - (classifierCpuStart ?? 0);
            log(`score classifier trained once for this dataset in ${classifierSeconds.toFixed(0)} s (cached; not counted below)`);
          }
          break;
        case 'scores': {
          const seconds = (performance.now() - spawnedAt) / 1000;
          const cpu = trainerCpu();
          const cpuSeconds = cpu === undefined ? undefined : cpu - classifierCpu;
          console.log(options.json ? JSON.stringify(qualityPoint(event.record, seconds, cpuSeconds)) : tableLine(event.record, seconds, cpuSeconds));
          const { recognisable } = event.record.scores;
          const real = event.record.feature.realRecognisable;
          if (recognisable && real) points.push({ seconds, cpuSeconds, step: event.record.step, recognisable: recognisable.value, realRecognisable: real.value });
          break;
        }
        case 'failed':
          log(`training failed (${event.kind}): ${event.error.message}`);
          resolve(EXIT.failed);
          break;
        case 'finished':
          log(claimLine(points, options.seconds));
          resolve(EXIT.ok);
          break;
      }
    });
    trainer.onExit(() => resolve(EXIT.failed));
  });
  const armBudget = () => {
    const left = options.seconds * 1000 - (performance.now() - spawnedAt);
    // The clock stands still while the classifier trains: never stop in the middle of it.
    const expired = () => !classifierRunning && performance.now() - spawnedAt >= options.seconds * 1000;
    budget = setTimeout(() => (expired() ? trainer.send({ type: 'stop' }) : armBudget()), Math.max(left, 1000));
  };
  armBudget();
  trainer.send({ type: 'start', runDir, datasetDir: dataset.dir, config, resume: false, backend: options.backend });
  try {
    return await outcome;
  } finally {
    clearTimeout(budget);
    trainer.kill();
    await rm(runDir, { recursive: true, force: true });
  }
}
