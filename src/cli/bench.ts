/**
 * `npm run bench`: images/s of one GAN training step for seed-model-one
 * (batch 16 and 64), tf-tutorial and quick (batch 64) on every backend that
 * loads, as a table, or with --json one JSON object per line
 * ({backend, device, threads, simd, preset, batchSize, imagesPerSecond}).
 */
import { parseArgs } from 'node:util';
import { pathToFileURL } from 'node:url';
import { BACKEND_NAMES } from '../shared/backends';
import type { BackendName } from '../shared/backends';
import { PRESET_NAMES } from '../shared/presets';
import type { PresetName } from '../shared/presets';
import { computeInfo, selectBackend } from '../main/backend/index';
import { diagnoseBackends } from '../main/backend/doctor';
import { formatDoctorReport } from '../main/backend/doctor-format';
import { measureStep } from './bench-measure';
import { dataScaleHelp, runDataScaleBench } from './bench-data-scale';
import { importHelp, runImportBench } from './bench-import';
import { formatKernelProfile } from './bench-profile';
import { formatScoringRow, measureScoring } from './bench-scores';
import type { Measurement } from './bench-measure';
import { qualityHelp, runQualityBench } from './bench-quality';
import { CliError } from './cli-error';
import { EXIT } from './exit-codes';

export const help = `Usage: npm run bench -- [--json] [--all] [--backend NAME] [--preset NAME --batch-size N] [--steps N] [--profile]

Times one training step (discriminator + generator update, after warm-up;
median of the timed steps) and prints images/s per backend, preset and batch:
seed-model-one at batch 16 and 64, tf-tutorial, quick and tiny at batch 64; on GPU
backends (webgpu, tfjs-node-gpu) also seed-model-one at 256 and dcgan-64 at 64
and 256. The table's
img/CPU-s column divides by this process's CPU time (all its threads) instead of
wall time: on a busy machine it shows what a single-threaded backend (cpu, or wasm
with GAN_STUDIO_WASM_THREADS=1) does alone.

On wasm, GAN_STUDIO_WASM_SIMD=simd128|off picks the studio kernels' instruction
set or leaves them out, and GAN_STUDIO_WASM_CONV=direct keeps the direct conv
kernels instead of space-to-depth and the stride-1 phase split onto Winograd
(phases: split every conv that splits; space-to-depth: every strided conv
through space-to-depth), to compare.

When tf-tutorial is among the rows, a scoring row follows on each backend: the
seconds one per-epoch scoring takes (default sample size, all six scores) against
one tf-tutorial epoch on the built-in sample (the first run trains the score
classifier once).

Options:
  --quality         Score against wall time instead: see npm run bench -- --quality --help
  --json            One JSON object per line: {backend, device, threads, simd, preset, batchSize,
                    imagesPerSecond} (threads: the backend's compute threads; simd: on wasm the
                    studio kernels' relaxed-simd or simd128, none when GAN_STUDIO_WASM_SIMD=off);
                    the scoring row: {backend, preset, scores: {sampleSize, scoringSeconds,
                    epochSeconds, share, cpuShare, …}}
  --skip-scores     Leave out the scoring row
  --all             Also run rows the pure-JS cpu backend needs minutes per step for,
                    and the GPU rows on CPU backends
  --backend NAME    Only this backend (${BACKEND_NAMES.join(', ')}); default: every one that loads
                    (webgpu on a software adapter such as llvmpipe only when named here)
  --preset NAME     Only this preset (${PRESET_NAMES.join(', ')}); with --batch-size, one custom row
  --batch-size N    Only this batch size
  --steps N         Timed steps per row (default 3; 1 warm-up step first)
  --profile         After each row, the kernels a step spends its time in (table mode): calls,
                    wall and CPU ms per step, GFLOP/s (convs, matmuls) or GB/s (the rest)
  --doctor          Then the doctor's report (with --json one more line: {"doctor": …},
                    the object gan-studio doctor --json prints)
  --import          Instead: dataset import throughput and peak memory per source kind
                    (--images N, --json; see bench-import.ts)
  --data-scale      Instead: import and train a 6 GiB synthetic dataset; import images/s,
                    step time and the trainer's peak memory (see --data-scale --help)
  -h, --help        Show this help`;

/** One measured configuration; `gpu` rows run only on GPU backends (a CPU needs minutes for one of their steps). */
interface Row {
  preset: PresetName;
  batchSize: number;
  gpu?: true;
}

/** The rows the issue asks for. */
const DEFAULT_ROWS: Row[] = [
  { preset: 'seed-model-one', batchSize: 16 },
  { preset: 'seed-model-one', batchSize: 64 },
  { preset: 'tf-tutorial', batchSize: 64 },
  // The first-run preset (quality per minute): small layers, where per-kernel overheads show.
  { preset: 'quick', batchSize: 64 },
  // Small enough for every backend, so the pure-JS cpu backend gets a row too.
  { preset: 'tiny', batchSize: 64 },
  // What a GPU box is measured on (docs/backends.md, "Measuring a remote GPU box").
  { preset: 'seed-model-one', batchSize: 256, gpu: true },
  { preset: 'dcgan-64', batchSize: 64, gpu: true },
  { preset: 'dcgan-64', batchSize: 256, gpu: true },
];

const GPU_BACKENDS: ReadonlySet<BackendName> = new Set(['tfjs-node-gpu', 'webgpu']);

/** Rows the pure-JS backend cannot finish in reasonable time (its Conv2DBackpropFilter is a scalar loop). */
const CPU_TOO_SLOW: Partial<Record<PresetName, string>> = {
  'seed-model-one': 'the pure-JS cpu backend needs minutes per seed-model-one step',
  'tf-tutorial': 'the pure-JS cpu backend needs minutes per tf-tutorial step',
  'seed-model-four': 'the pure-JS cpu backend needs minutes per seed-model-four step',
  'dcgan-64': 'the pure-JS cpu backend needs minutes per dcgan-64 step',
  quick: 'the pure-JS cpu backend needs seconds per quick step',
};

interface BenchOptions {
  json: boolean;
  all: boolean;
  backends: readonly BackendName[];
  /** --backend named one: then a software GPU adapter (llvmpipe) is measured too, as training would use it. */
  forced: boolean;
  rows: Row[];
  steps: number;
  profile: boolean;
  scores: boolean;
  doctor: boolean;
}

function parseOptions(argv: string[]): BenchOptions {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        json: { type: 'boolean', default: false },
        all: { type: 'boolean', default: false },
        backend: { type: 'string' },
        preset: { type: 'string' },
        'batch-size': { type: 'string' },
        steps: { type: 'string', default: '3' },
        profile: { type: 'boolean', default: false },
        'skip-scores': { type: 'boolean', default: false },
        doctor: { type: 'boolean', default: false },
      },
      strict: true,
    }));
  } catch (err) {
    throw new CliError(`${(err as Error).message}\n\n${help}`);
  }
  const backend = values.backend;
  if (backend !== undefined && !(BACKEND_NAMES as readonly string[]).includes(backend)) {
    throw new CliError(`expected --backend to be one of ${BACKEND_NAMES.join(', ')}, got "${backend}"`);
  }
  const preset = values.preset;
  if (preset !== undefined && !(PRESET_NAMES as readonly string[]).includes(preset)) {
    throw new CliError(`expected --preset to be one of ${PRESET_NAMES.join(', ')}, got "${preset}"`);
  }
  const positive = (name: string, text: string | undefined): number | undefined => {
    if (text === undefined) return undefined;
    const n = Number(text);
    if (!Number.isInteger(n) || n < 1) throw new CliError(`expected --${name} to be a positive integer, got "${text}"`);
    return n;
  };
  const batchSize = positive('batch-size', values['batch-size']);
  let rows = DEFAULT_ROWS.filter((row) => (preset === undefined || row.preset === preset) && (batchSize === undefined || row.batchSize === batchSize));
  // A row asked for by name runs on any backend.
  if (preset !== undefined) rows = rows.map(({ preset: name, batchSize: size }) => ({ preset: name, batchSize: size }));
  if (rows.length === 0 && preset !== undefined) rows = [{ preset: preset as PresetName, batchSize: batchSize ?? 64 }];
  if (rows.length === 0) throw new CliError(`no benchmark row has batch size ${batchSize}; add --preset NAME to pick the model`);
  return {
    json: values.json,
    all: values.all,
    backends: backend === undefined ? BACKEND_NAMES : [backend as BackendName],
    forced: backend !== undefined,
    rows,
    steps: positive('steps', values.steps)!,
    profile: values.profile,
    scores: !values['skip-scores'] && rows.some((row) => row.preset === 'tf-tutorial'),
    doctor: values.doctor,
  };
}

const TABLE_HEADER = `${'backend'.padEnd(14)}${'preset'.padEnd(16)}${'batch'.padStart(6)}${'images/s'.padStart(11)}${'step ms'.padStart(11)}${'img/CPU-s'.padStart(11)}  device`;

const rate = (x: number) => (x >= 100 ? x.toFixed(0) : x.toPrecision(3));

function tableRow(backend: BackendName, device: string, m: Measurement): string {
  return (
    `${backend.padEnd(14)}${m.preset.padEnd(16)}${String(m.batchSize).padStart(6)}` +
    `${rate(m.imagesPerSecond).padStart(11)}${m.stepMs.toFixed(0).padStart(11)}${rate(m.imagesPerCpuSecond).padStart(11)}  ${device}`
  );
}

/** Runs the benchmark; returns the exit code. Notes (skips) go to stderr with --json, to stdout otherwise. */
export async function run(argv: string[]): Promise<number> {
  if (argv.includes('--import')) return runImport(argv.filter((a) => a !== '--import'));
  if (argv.includes('--data-scale')) return runDataScaleBench(argv.filter((a) => a !== '--data-scale'));
  const options = parseOptions(argv);
  const note = (text: string) => (options.json ? console.error(text) : console.log(`  · ${text}`));
  if (!options.json) console.log(TABLE_HEADER);
  let measured = 0;
  for (const backend of options.backends) {
    let device: string;
    try {
      const report = await selectBackend({ forced: backend, softwareGpu: options.forced });
      device = report.device;
      note(`${backend}: ${report.device}`);
    } catch (err) {
      note(`${backend}: not available — ${err instanceof Error && 'reason' in err ? String(err.reason) : String(err)}`);
      continue;
    }
    for (const row of options.rows) {
      if (row.gpu && !GPU_BACKENDS.has(backend) && !options.all) continue;
      const tooSlow = backend === 'cpu' && !options.all ? CPU_TOO_SLOW[row.preset] : undefined;
      if (tooSlow !== undefined) {
        note(`${backend}: skipped ${row.preset} batch ${row.batchSize} — ${tooSlow} (add --all to run it)`);
        continue;
      }
      const m = await measureStep({ ...row, warmupSteps: 1, timedSteps: options.steps, profile: options.profile && !options.json });
      measured++;
      if (options.json) {
        const { threads, simd } = computeInfo();
        console.log(
          JSON.stringify({ backend, device, threads, simd, preset: m.preset, batchSize: m.batchSize, imagesPerSecond: Number(m.imagesPerSecond.toFixed(3)) }),
        );
      } else {
        console.log(tableRow(backend, device, m));
        if (m.kernels !== undefined) console.log(formatKernelProfile(m.kernels));
      }
    }
    if (options.scores && !(backend === 'cpu' && !options.all)) {
      const m = await measureScoring(note);
      measured++;
      if (options.json) console.log(JSON.stringify({ backend, preset: m.preset, scores: m }));
      else console.log(formatScoringRow(backend, m));
    }
  }
  if (options.doctor) {
    const report = await diagnoseBackends();
    console.log(options.json ? JSON.stringify({ doctor: report }) : `\n${formatDoctorReport(report)}`);
  }
  return measured > 0 ? EXIT.ok : EXIT.unavailable;
}

/** `--import [--images N] [--json]`: the import benchmark (bench-import.ts). */
function runImport(argv: string[]): Promise<number> {
  let values;
  try {
    ({ values } = parseArgs({ args: argv, options: { images: { type: 'string', default: '20000' }, json: { type: 'boolean', default: false } }, strict: true }));
  } catch (err) {
    throw new CliError(`${(err as Error).message}\n\n${importHelp}`);
  }
  const images = Number(values.images);
  if (!Number.isInteger(images) || images < 1) throw new CliError(`expected --images to be a positive integer, got "${values.images}"`);
  return runImportBench(images, values.json);
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const argv = process.argv.slice(2);
  const quality = argv.includes('--quality');
  if (argv.includes('--help') || argv.includes('-h')) {
    console.log(quality ? qualityHelp : argv.includes('--data-scale') ? dataScaleHelp : argv.includes('--import') ? importHelp : help);
  } else {
    (quality ? runQualityBench(argv) : run(argv)).then(
      (code) => (process.exitCode = code),
      (err: unknown) => {
        console.error(`Error: ${err instanceof Error ? err.message : String(err)}`);
        process.exitCode = err instanceof CliError ? err.exitCode : EXIT.failed;
      },
    );
  }
}
