/**
 * `gan-studio score`: quality scores of a run's generator, or of a folder of
 * images, against a dataset. See docs/scores.md for what each score means.
 */
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseCliArgs } from '../parse-args';
import type { BackendName } from '../../shared/backends';
import { BACKEND_NAMES } from '../../shared/backends';
import { DEFAULT_SCORE_SAMPLE_SIZE } from '../../shared/config';
import { DEFAULT_VERDICT_RULE } from '../../shared/verdict';
import type { ScoreFeature, ScoreMap } from '../../shared/scores';
import { builtinDatasetSource, importDataset, loadDataset, openDataset } from '../../main/data';
import { readRunJsonl, readRunRecord } from '../../main/runs';
import { formatScores } from '../../main/scores/format';
import type { ScoringDataset } from '../../main/scores/index';
import { imagesFromUint8, loadFeatureNetwork, sampleGenerator, scoreImages } from '../../main/scores/index';
import { defaultDatasetsRoot, defaultRunsRoot } from '../../main/studio-home';
import { selectBackend } from '../../main/backend';
import { EMA_DIR } from '../../main/training/checkpoint';
import { describeDamaged, newestIntactCheckpoint, passedOverNotes } from '../../main/training/checkpoint-choice';
import { inFolders } from '../../main/training/checkpoint-integrity';
import { loadModelFromDir } from '../../main/common/model-io';
import { CliError } from '../cli-error';
import { EXIT } from '../exit-codes';
import { runDirArg } from '../run-arg';
import { createProgressLine } from '../progress-bar';
import { judgeAgainstBaseline } from './score-verdict';

export const help = `Usage: gan-studio score RUN [--epoch N] [--baseline RUN] [--json]
       gan-studio score --images FOLDER --against DATASET [--sample-size N] [--json]

Quality scores: FID, KID, SWD, precision, recall and recognisable % (the last
four and FID need a labelled dataset, whose classifier is trained once and
cached with the dataset). Every number comes with its std and sample size.

RUN (a run folder, or a run id in the runs folder): prints the scores the run
recorded for --epoch N (default: its last scored epoch). An epoch without a
record is scored now from its checkpoint, when that is the latest one.

--baseline RUN: also judges RUN against that run, as Compare and the evidence
pack do: each run joins the other seeds of its config in its runs folder, and
at the newest epoch both have scored every score gets one sentence. "beats"
needs ${DEFAULT_VERDICT_RULE.minSeeds} seeds per arm (Welch's t-test over the seeds, Holm's correction
over the scores); with fewer it only says which way the numbers lean.

--images FOLDER --against DATASET: scores the images in FOLDER (any size; they
are resized to the dataset's) against DATASET, a path as for "train --data",
or "sample" for the built-in Fashion-MNIST.

Options:
  --epoch N          The run's epoch to show (default: the last scored one)
  --baseline RUN     Judge RUN against this run (a folder or an id)
  --images FOLDER    Images to score (PNG, JPEG, WebP, …; subfolders are read too)
  --against DATASET  The dataset to compare with (a path, or "sample")
  --sample-size N    Images per side (default ${DEFAULT_SCORE_SAMPLE_SIZE}; at most the folder's count)
  --backend NAME     Force ${BACKEND_NAMES.join(', ')} for the networks
  --json             One JSON object: {scores: {name: {value, std, n}}, feature, …}
                     (recognisable in percent; with --baseline also verdict:
                     {epoch, lines: [{score, kind, sentence, p, pAdjusted}], notes})
  -h, --help         Show this help

Every ± is one standard deviation: a run's own (its scoring's spread at n
samples), or over seeds for an arm. Scores are comparable only between runs on
the same dataset, feature network and sample size, not with papers' Inception FID. Exit codes: 0 scored, 1 failed, 2 bad arguments or input,
3 forced backend unavailable.`;

const USAGE_HINT = 'Run "gan-studio score --help" for the options.';

interface ScoreOptions {
  run?: string;
  baseline?: string;
  epoch?: number;
  images?: string;
  against?: string;
  sampleSize: number;
  backend?: BackendName;
  json: boolean;
}

function positiveInt(flag: string, text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const n = Number(text);
  if (!Number.isInteger(n) || n < 1) throw new CliError(`Expected ${flag} to be a positive whole number, got "${text}".`, EXIT.usage, USAGE_HINT);
  return n;
}

function parse(argv: string[]): ScoreOptions {
  let parsed;
  try {
    parsed = parseCliArgs({
      args: argv,
      options: {
        epoch: { type: 'string' },
        baseline: { type: 'string' },
        images: { type: 'string' },
        against: { type: 'string' },
        'sample-size': { type: 'string' },
        backend: { type: 'string' },
        json: { type: 'boolean', default: false },
      },
      strict: true,
      allowPositionals: true,
    });
  } catch (error) {
    throw new CliError((error as Error).message, EXIT.usage, USAGE_HINT);
  }
  const { values, positionals } = parsed;
  const backend = values.backend;
  if (backend !== undefined && !(BACKEND_NAMES as readonly string[]).includes(backend)) {
    throw new CliError(`Expected --backend to be one of ${BACKEND_NAMES.join(', ')}, got "${backend}".`, EXIT.usage);
  }
  const options: ScoreOptions = {
    run: positionals[0],
    baseline: values.baseline,
    epoch: positiveInt('--epoch', values.epoch),
    images: values.images,
    against: values.against,
    sampleSize: positiveInt('--sample-size', values['sample-size']) ?? DEFAULT_SCORE_SAMPLE_SIZE,
    backend: backend as BackendName | undefined,
    json: values.json,
  };
  if (positionals.length > 1) throw new CliError(`Expected one RUN, got ${positionals.length}: ${positionals.join(' ')}.`, EXIT.usage, USAGE_HINT);
  if (options.run && (options.images || options.against)) {
    throw new CliError('Give either RUN or --images FOLDER --against DATASET, not both.', EXIT.usage, USAGE_HINT);
  }
  if (!options.run && !(options.images && options.against)) {
    const missing = options.images ? '--against DATASET' : options.against ? '--images FOLDER' : 'RUN, or --images FOLDER --against DATASET';
    throw new CliError(`Expected ${missing}.`, EXIT.usage, USAGE_HINT);
  }
  if (options.images && options.epoch !== undefined) throw new CliError('--epoch applies to a RUN, not to --images.', EXIT.usage, USAGE_HINT);
  if (options.images && options.baseline !== undefined) throw new CliError('--baseline judges a RUN against another run, not --images.', EXIT.usage, USAGE_HINT);
  if (options.sampleSize < 10) throw new CliError(`Expected --sample-size of at least 10, got ${options.sampleSize}.`, EXIT.usage, USAGE_HINT);
  return options;
}

/** What the command prints: as text, or as one JSON object. */
interface ScoreReport {
  source: string;
  dataset: string;
  epoch?: number;
  step?: number;
  /** True when the numbers come from the run's scores.jsonl rather than computed now. */
  recorded?: boolean;
  generator?: 'generator' | 'ema';
  sampleSize: number;
  feature: ScoreFeature;
  scores: ScoreMap;
  skipped?: { name: string; reason: string }[];
  /** What was damaged and skipped on the way (a scores.jsonl line, a checkpoint). */
  notes?: string[];
}

/** Runs the command; returns the exit code. */
export async function run(argv: string[]): Promise<number> {
  const options = parse(argv);
  // A wrong --baseline fails before any scoring work.
  const baselineDir = options.baseline ? resolveRunDir(options.baseline) : undefined;
  const report = options.run ? await scoreRun(options.run, options) : await scoreFolder(options.images!, options.against!, options);
  for (const note of report.notes ?? []) console.error(`note: ${note}`);
  const verdict = baselineDir ? await judgeAgainstBaseline(resolveRunDir(options.run!), baselineDir) : undefined;
  if (options.json) {
    console.log(JSON.stringify(verdict ? { ...report, verdict: verdict.report } : report));
    return EXIT.ok;
  }
  const what = report.epoch === undefined ? report.source : `${report.source}, epoch ${report.epoch} (step ${report.step})${report.recorded ? ', as recorded during training' : ''}`;
  console.log(`${what}\nagainst ${report.dataset}: ${report.sampleSize} images scored`);
  console.log(formatScores(report.feature, report.scores));
  for (const skip of report.skipped ?? []) console.log(`  ${skip.name}: not computed — ${skip.reason}`);
  if (verdict) console.log(`\n${verdict.text}`);
  return EXIT.ok;
}

/** A run folder path, or an id in the default runs folder. */
function resolveRunDir(run: string): string {
  const dir = runDirArg(run);
  if (existsSync(join(dir, 'run.json'))) return dir;
  throw new CliError(`No run at ${dir} (no run.json there, nor in the runs folder ${defaultRunsRoot()}).`, EXIT.usage, 'Pass a run folder, as printed by "gan-studio train".');
}

async function scoreRun(run: string, options: ScoreOptions): Promise<ScoreReport> {
  const runDir = resolveRunDir(run);
  const record = await readRunRecord(runDir);
  const { records: recorded, note } = await readRunJsonl(runDir, 'scores');
  const notes = note ? [note] : [];
  const wanted = options.epoch ?? recorded.at(-1)?.epoch;
  const hit = recorded.find((r) => r.epoch === wanted);
  if (hit) {
    const { epoch, step, sampleSize, generator, feature, scores } = hit;
    return { source: `run ${record.id}`, dataset: `"${record.dataset.name}"`, epoch, step, recorded: true, sampleSize, generator, feature, scores, ...(notes.length ? { notes } : {}) };
  }
  // The newest checkpoint whose generators check out against its SHA-256 list; damaged newer ones are said.
  const { checkpoint, passedOver } = await newestIntactCheckpoint(runDir, inFolders('generator', EMA_DIR));
  if (!checkpoint || (wanted !== undefined && checkpoint.state.completedEpochs !== wanted)) {
    const scored = recorded.map((r) => r.epoch).join(', ') || 'none';
    const damaged = passedOver.length > 0 ? ` Damaged checkpoints: ${describeDamaged(passedOver)}.` : '';
    throw new CliError(
      `Run ${record.id} has no scores for epoch ${wanted ?? '(any)'} and no intact checkpoint of that epoch to score.${damaged}`,
      EXIT.usage,
      `Scored epochs: ${scored}.${checkpoint ? ` The newest intact checkpoint is after epoch ${checkpoint.state.completedEpochs}: omit --epoch or pass --epoch ${checkpoint.state.completedEpochs}.` : ''}`,
    );
  }
  notes.push(...passedOverNotes(passedOver, checkpoint));
  if (!existsSync(record.dataset.dir)) {
    throw new CliError(`The run's dataset cache ${record.dataset.dir} is gone.`, EXIT.usage, `Re-create it with gan-studio train --resume ${runDir} --data PATH, then score again.`);
  }
  await selectBackend(options.backend ? { forced: options.backend } : {});
  const dataset = await openDataset(record.dataset.dir);
  // The EMA copy when the checkpoint has one, as the run's own per-epoch scores use.
  const emaDir = join(checkpoint.dir, EMA_DIR);
  const useEma = existsSync(join(emaDir, 'model.json'));
  const generator = await loadModelFromDir(useEma ? emaDir : join(checkpoint.dir, 'generator'));
  try {
    const network = await loadNetwork(dataset);
    const generated = await sampleGenerator(generator, record.config.latentDim, options.sampleSize);
    const result = await scoreImages({ generated, dataset, network, sampleSize: options.sampleSize });
    network.dispose();
    return {
      source: `run ${record.id}${useEma ? ' (EMA generator)' : ''}`,
      dataset: `"${record.dataset.name}"`,
      epoch: checkpoint.state.completedEpochs,
      step: checkpoint.state.step,
      generator: useEma ? 'ema' : 'generator',
      ...result,
      ...(notes.length ? { notes } : {}),
    };
  } finally {
    generator.dispose();
    await dataset.close();
  }
}

async function scoreFolder(folder: string, against: string, options: ScoreOptions): Promise<ScoreReport> {
  await selectBackend(options.backend ? { forced: options.backend } : {});
  const source = against === 'sample' ? builtinDatasetSource() : resolve(against);
  const progress = quietProgress();
  const imported = await importDataset(source, {}, {
    cacheRoot: defaultDatasetsRoot(),
    // Only real work is shown: a cached dataset answers after a scan.
    onProgress: (p) => p.phase !== 'scan' && p.phase !== 'done' && progress.update(p.total ? p.done / p.total : 0, `importing ${against}: ${p.phase} ${p.done}${p.total ? `/${p.total}` : ''}`),
  });
  progress.finish();
  const dataset = await openDataset(imported.dir);
  const { manifest } = dataset;
  // The folder is decoded by the dataset importer (every format, resized to the dataset's shape) into a scratch cache.
  const scratch = await mkdtemp(join(tmpdir(), 'gan-studio-score-'));
  try {
    const images = await importDataset(
      resolve(folder),
      { size: manifest.width === manifest.height ? manifest.width : undefined, channels: manifest.channels, maxImages: options.sampleSize },
      { cacheRoot: scratch },
    );
    // The images scored, at most --sample-size of them: read whole.
    const loaded = await loadDataset(images.dir);
    const generated = imagesFromUint8(loaded.images, { height: loaded.manifest.height, width: loaded.manifest.width, channels: loaded.manifest.channels });
    const network = await loadNetwork(dataset);
    try {
      const result = await scoreImages({ generated, dataset, network, sampleSize: options.sampleSize });
      return { source: `${generated.n} images in ${folder}`, dataset: `"${manifest.name}"`, ...result };
    } finally {
      network.dispose();
    }
  } finally {
    await rm(scratch, { recursive: true, force: true });
    await dataset.close();
  }
}

/** The dataset's feature network, with a progress line while its classifier trains (first time only). */
async function loadNetwork(dataset: ScoringDataset) {
  const progress = quietProgress();
  try {
    return await loadFeatureNetwork(dataset, { onProgress: (done, total) => progress.update(done / total, `training the score classifier for "${dataset.manifest.name}" (once): batch ${done}/${total}`) });
  } finally {
    progress.finish();
  }
}

/** A progress line on stderr that prints nothing unless something progressed (a cache hit stays silent). */
function quietProgress(): { update(fraction: number, text: string): void; finish(): void } {
  const line = createProgressLine(process.stderr);
  let used = false;
  return {
    update(fraction, text) {
      used = true;
      line.update(fraction, text);
    },
    finish: () => used && line.done(),
  };
}
