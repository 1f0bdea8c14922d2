/**
 * `gan-studio generate`: fresh samples from a run's saved generator — PNG
 * files (or one grid), or a slerp interpolation between two samples as a
 * GIF, MP4 or strip PNG. Runs in this process: a CLI may block.
 */
import { randomInt } from 'node:crypto';
import { existsSync } from 'node:fs';
import { parseCliArgs } from '../parse-args';
import { BACKEND_NAMES, type BackendName } from '../../shared/backends';
import { GENERATE_LIMITS, INTERPOLATION_FORMATS, type GenerateSpec, type InterpolationFormat } from '../../shared/generate';
import { runGenerateJob, type GenerateJob } from '../../main/generate/generate';
import { defaultRunsRoot } from '../../main/studio-home';
import { selectBackend } from '../../main/backend';
import { CliError } from '../cli-error';
import { EXIT } from '../exit-codes';
import { runWithProgress } from './export';
import { runDirArg } from '../run-arg';

export const help = `Usage: gan-studio generate RUN [--epoch N] [--n N] [--seed S] [--grid] --out DIR
       gan-studio generate RUN --interpolate [--from I --to J] --frames N --format gif|mp4|png --out FILE

Draw fresh samples from a run's saved generator (RUN is a run folder, or a run
id in ${defaultRunsRoot()}).

Samples are numbered per seed: sample I of seed S is the same image however
many are drawn, so --from/--to name samples you saw in a grid.

Options:
  --out PATH       Folder for the PNG files (seed-S-III.png), or the file for
                   --grid and --interpolate (required)
  --epoch N        Use the checkpoint saved after epoch N (default: the newest;
                   a run keeps only its last few checkpoints)
  --ema            Use the checkpoint's EMA generator (runs trained with an EMA decay)
  --n N            How many samples (default 16, at most ${GENERATE_LIMITS.maxImages})
  --seed S         Seed of the samples, 0–4294967295 (default: random, printed)
  --grid           Write the N samples as one grid PNG instead of N files
  --interpolate    A slerp walk from sample --from to sample --to
  --from I         First sample of the walk (default 0)
  --to J           Last sample of the walk (default 1)
  --frames N       Frames of the walk, 2–${GENERATE_LIMITS.maxFrames} (default 16); an animation
                   plays them forward and back
  --format F       ${INTERPOLATION_FORMATS.join(' | ')} (default gif; png is a strip of the frames)
  --fps N          Frames per second of the animation (default 12)
  --backend NAME   force ${BACKEND_NAMES.join(', ')} (or env GAN_STUDIO_BACKEND)
  -h, --help       Show this help

Exit codes: 0 written, 1 failed, 2 bad arguments, run folder or epoch, 3 no
ffmpeg or backend, 130 cancelled (nothing partial is kept).`;

const USAGE_HINT = 'Run "gan-studio generate --help" for the options.';

const OPTIONS = {
  out: { type: 'string' },
  epoch: { type: 'string' },
  ema: { type: 'boolean' },
  n: { type: 'string' },
  seed: { type: 'string' },
  grid: { type: 'boolean' },
  interpolate: { type: 'boolean' },
  from: { type: 'string' },
  to: { type: 'string' },
  frames: { type: 'string' },
  format: { type: 'string' },
  fps: { type: 'string' },
  backend: { type: 'string' },
} as const;

/** A whole number flag within [min, max]. */
function wholeFlag(flag: string, value: string | undefined, min: number, max: number): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (value.trim() === '' || !Number.isInteger(n) || n < min || n > max) {
    throw new CliError(`Expected ${flag} to be a whole number from ${min} to ${max}, got "${value}".`, EXIT.usage, USAGE_HINT);
  }
  return n;
}

/** RUN as a run folder or a run id under the default runs folder (runDirArg), which must exist. */
function runDirOf(run: string): string {
  const dir = runDirArg(run);
  if (existsSync(dir)) return dir;
  throw new CliError(`No run folder "${run}", and no run with that id in ${defaultRunsRoot()}.`, EXIT.usage, 'Pass a run folder (it holds run.json) or a run id.');
}

function parse(argv: string[]): { job: GenerateJob; backend?: BackendName } {
  let parsed;
  try {
    parsed = parseCliArgs({ args: argv, options: OPTIONS, strict: true, allowPositionals: true });
  } catch (error) {
    throw new CliError((error as Error).message, EXIT.usage, USAGE_HINT);
  }
  const { values, positionals } = parsed;
  if (positionals.length !== 1) throw new CliError(`Expected one RUN, got ${positionals.length}${positionals.length ? `: ${positionals.join(' ')}` : ''}.`, EXIT.usage, USAGE_HINT);
  if (!values.out) {
    throw new CliError(`Expected --out ${values.interpolate || values.grid ? 'FILE' : 'DIR'}: where to write the ${values.interpolate ? 'interpolation' : 'samples'}.`, EXIT.usage, USAGE_HINT);
  }
  const interpolationOnly = (['from', 'to', 'frames', 'format', 'fps'] as const).filter((flag) => values[flag] !== undefined);
  if (!values.interpolate && interpolationOnly.length > 0) {
    throw new CliError(`--${interpolationOnly[0]} applies to an interpolation: add --interpolate.`, EXIT.usage, USAGE_HINT);
  }
  if (values.interpolate && (values.n !== undefined || values.grid)) throw new CliError('--n and --grid draw samples; an interpolation takes --from, --to and --frames.', EXIT.usage, USAGE_HINT);
  const backend = values.backend ?? process.env.GAN_STUDIO_BACKEND;
  if (backend && !(BACKEND_NAMES as readonly string[]).includes(backend)) {
    throw new CliError(`Unknown backend "${backend}".`, EXIT.usage, `Choose one of: ${BACKEND_NAMES.join(', ')}.`);
  }
  const seed = wholeFlag('--seed', values.seed, 0, 0xffffffff) ?? randomInt(0, 2 ** 31);
  const maxIndex = GENERATE_LIMITS.maxImages - 1;
  let spec: GenerateSpec;
  if (values.interpolate) {
    const format = values.format ?? 'gif';
    if (!(INTERPOLATION_FORMATS as readonly string[]).includes(format)) {
      throw new CliError(`Expected --format ${INTERPOLATION_FORMATS.join(' | ')}, got "${format}".`, EXIT.usage, USAGE_HINT);
    }
    const from = wholeFlag('--from', values.from, 0, maxIndex) ?? 0;
    const to = wholeFlag('--to', values.to, 0, maxIndex) ?? 1;
    if (from === to) throw new CliError(`Expected --from and --to to name two different samples, got ${from} twice.`, EXIT.usage, USAGE_HINT);
    const fps = values.fps === undefined ? undefined : Number(values.fps);
    if (fps !== undefined && !(fps > 0 && fps <= 60)) throw new CliError(`Expected --fps between 0 and 60, got "${values.fps}".`, EXIT.usage, USAGE_HINT);
    const frames = wholeFlag('--frames', values.frames, 2, GENERATE_LIMITS.maxFrames) ?? 16;
    spec = { kind: 'interpolation', seed, from, to, frames, format: format as InterpolationFormat, fps };
  } else {
    spec = { kind: values.grid ? 'grid' : 'images', seed, count: wholeFlag('--n', values.n, 1, GENERATE_LIMITS.maxImages) ?? 16 };
  }
  const epoch = wholeFlag('--epoch', values.epoch, 0, 1_000_000);
  return {
    job: { runDir: runDirOf(positionals[0]!), generator: { epoch, ema: values.ema ?? false }, spec, out: values.out },
    backend: backend ? (backend as BackendName) : undefined,
  };
}

/** Runs the command; returns the exit code. */
export async function run(argv: string[]): Promise<number> {
  const { job, backend } = parse(argv);
  // Without a faster backend, tf.js's plain cpu takes tens of seconds for a 64-image grid of a 32×32 preset.
  await selectBackend({ forced: backend });
  return runWithProgress(async (signal, onProgress) => {
    const started = Date.now();
    const outcome = await runGenerateJob(job, { signal, onProgress });
    return { summary: `Wrote ${outcome.summary} in ${((Date.now() - started) / 1000).toFixed(1)} s`, notes: outcome.notes };
  });
}
