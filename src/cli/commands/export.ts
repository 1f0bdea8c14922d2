/**
 * `gan-studio export`: one run's progress as GIF/MP4/WebM, a grid PNG,
 * charts, CSV or the generator — or 2–4 runs side by side (--compare).
 * Ctrl-C cancels and leaves no partial file.
 */
import { join } from 'node:path';
import { parseCliArgs } from '../parse-args';
import type { Progress } from '../../shared/api';
import { printableLines } from '../../shared/printable';
import { EXPORT_FORMATS, isAnimationFormat, type ExportFormat } from '../../shared/export-formats';
import {
  defaultExportOut,
  ExportCancelledError,
  ExportError,
  exportRequestFor,
  ExportInputError,
  FfmpegNotFoundError,
  runExport,
  type ExportRequest,
} from '../../main/export/index';
import { CliError } from '../cli-error';
import { EXIT } from '../exit-codes';
import { runDirArg } from '../run-arg';
import { createProgressLine } from '../progress-bar';

export const help = `Usage: gan-studio export RUN_DIR [options]
       gan-studio export RUN_DIR --compare RUN_DIR2 [RUN_DIR3 RUN_DIR4] [options]

Export a run (RUN_DIR: a run folder, or a run id in the runs folder). Formats:
  gif, mp4, webm  the fixed-noise sample grid after every epoch, one frame per
                  epoch, captioned "epoch N / total" (a FILE)
  png             one epoch's grid (--epoch N, default the last) (a FILE)
  charts          loss and accuracy charts as SVG and PNG (into a FOLDER)
  csv             steps.csv and epochs.csv (into a FOLDER)
  generator       the latest checkpoint's generator as a tf.js model folder
                  (model.json + weights.bin) that tf.loadLayersModel loads
With --compare, 2–4 runs play side by side on the same epoch (gif, mp4, webm);
a run with fewer epochs holds its last grid, marked "ended".

Options:
  --format F        gif | mp4 | webm | png | charts | csv | generator (default gif)
  --out PATH        Output file or folder (default: RUN_DIR/exports/…); a file
                    without the format's extension gets it (--out progress → progress.gif)
  --fps N           Frames (epochs) per second, default 4
  --scale N         Integer nearest-neighbour upscaling (default: about 256 px wide
                    for animations, at least 512 px on the long side for png)
  --from-epoch N    First epoch to include
  --to-epoch N      Last epoch to include
  --epoch N         The grid to export with --format png
  --compare DIR     Another run to show side by side (repeatable)
  -h, --help        Show this help

ffmpeg is found as FFMPEG_PATH, then ffmpeg-static, then @ffmpeg-installer/ffmpeg,
then ffmpeg on PATH. Exit codes: 0 written, 1 export failed, 2 bad arguments or
run folder, 3 no ffmpeg, 130 cancelled (nothing partial is kept).`;

const USAGE_HINT = 'Run "gan-studio export --help" for the options.';

/** Parse a positive whole-number flag. */
function intFlag(flag: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new CliError(`Expected ${flag} to be a positive whole number, got "${value}".`, EXIT.usage, USAGE_HINT);
  return n;
}

/** Map an export failure to the CLI's exit codes. */
function exitCodeFor(error: unknown): number {
  if (error instanceof CliError) return error.exitCode;
  if (error instanceof ExportCancelledError) return EXIT.interrupted;
  if (error instanceof FfmpegNotFoundError) return EXIT.unavailable;
  if (error instanceof ExportInputError) return EXIT.usage;
  return EXIT.failed;
}

/** What a finished command prints: its one-line summary, then a "note:" line for each thing that was damaged and passed over. */
export interface Finished {
  summary: string;
  notes?: string[];
}

/**
 * Run `work` with Ctrl-C wired to cancel and a terminal progress line; prints
 * the error and hint of an export failure and returns the exit code.
 */
export async function runWithProgress(work: (signal: AbortSignal, onProgress: (p: Progress) => void) => Promise<Finished>): Promise<number> {
  const controller = new AbortController();
  const onInterrupt = (): void => controller.abort();
  process.once('SIGINT', onInterrupt);
  const line = createProgressLine();
  try {
    const { summary, notes } = await work(controller.signal, (p) => line.update(p.total ? p.done / p.total : 0, p.message ?? p.operation));
    line.done(summary);
    for (const note of notes ?? []) console.error(`note: ${printableLines(note)}`);
    return EXIT.ok;
  } catch (error) {
    if (!(error instanceof ExportError || error instanceof CliError)) throw error;
    console.error(`\nError: ${printableLines(error.message)}`);
    if (error.hint) console.error(`Hint: ${printableLines(error.hint)}`);
    return exitCodeFor(error);
  } finally {
    process.removeListener('SIGINT', onInterrupt);
  }
}

function numberFlag(flag: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0) throw new CliError(`Expected ${flag} to be a positive number, got "${value}".`, EXIT.usage, USAGE_HINT);
  return n;
}

function parse(argv: string[]) {
  let parsed;
  try {
    parsed = parseCliArgs({
      args: argv,
      options: {
        format: { type: 'string', default: 'gif' },
        out: { type: 'string' },
        fps: { type: 'string' },
        scale: { type: 'string' },
        'from-epoch': { type: 'string' },
        'to-epoch': { type: 'string' },
        epoch: { type: 'string' },
        compare: { type: 'string', multiple: true },
      },
      strict: true,
      allowPositionals: true,
    });
  } catch (error) {
    throw new CliError((error as Error).message, EXIT.usage, USAGE_HINT);
  }
  const { values, positionals } = parsed;
  const format = values.format as ExportFormat;
  if (!EXPORT_FORMATS.includes(format)) throw new CliError(`Expected --format ${EXPORT_FORMATS.join(' | ')}, got "${values.format}".`, EXIT.usage, USAGE_HINT);
  const compare = values.compare ?? [];
  // "--compare B C" leaves C as a positional; accept it only in compare mode.
  if (positionals.length === 0) throw new CliError('Expected a RUN_DIR.', EXIT.usage, USAGE_HINT);
  if (positionals.length > 1 && compare.length === 0) {
    throw new CliError(`Expected one RUN_DIR, got ${positionals.length}: ${positionals.join(' ')}.`, EXIT.usage, 'Use --compare to export several runs side by side.');
  }
  const runs = [...positionals.slice(0, 1), ...compare, ...positionals.slice(1)];
  if (compare.length > 0 && !isAnimationFormat(format)) {
    throw new CliError(`--compare makes an animation: expected --format gif, mp4 or webm, got "${format}".`, EXIT.usage, USAGE_HINT);
  }
  return {
    runs: runs.map(runDirArg),
    format,
    out: values.out,
    fps: numberFlag('--fps', values.fps),
    scale: intFlag('--scale', values.scale),
    fromEpoch: intFlag('--from-epoch', values['from-epoch']),
    toEpoch: intFlag('--to-epoch', values['to-epoch']),
    epoch: intFlag('--epoch', values.epoch),
  };
}

/** The request for parsed arguments, with outputs defaulting to RUN_DIR/exports/ (progress.gif, compare.mp4, grid-epoch-N.png, …). */
function toRequest(args: ReturnType<typeof parse>): ExportRequest {
  const base = args.format === 'png' ? 'grid' : args.runs.length > 1 ? 'compare' : 'progress';
  const out = args.out ?? defaultExportOut(args.format, join(args.runs[0]!, 'exports'), base, args.epoch);
  return exportRequestFor(args.format, args.runs, out, args);
}

/** Runs the command; returns the exit code. */
export async function run(argv: string[]): Promise<number> {
  return runWithProgress(async (signal, onProgress) => {
    const started = Date.now();
    const outcome = await runExport(toRequest(parse(argv)), { signal, onProgress });
    return { summary: `Wrote ${outcome.summary} in ${((Date.now() - started) / 1000).toFixed(1)} s`, notes: outcome.notes };
  });
}
