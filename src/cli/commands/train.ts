/**
 * `gan-studio train`: import a dataset, create a run directory and train it
 * in a supervised trainer child process, with a terminal progress bar.
 */
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { BACKEND_NAMES, type BackendName } from '../../shared/backends';
import { resolveTrainingConfig, trainingConfigInputSchema, type TrainingConfig, type TrainingConfigInput } from '../../shared/config';
import { ConfigError, configValueFromFlag } from '../../shared/config-field-text';
import { configField } from '../../shared/config-fields';
import { PRESETS } from '../../shared/preset-catalog';
import type { ModelPreset, PresetName } from '../../shared/presets';
import { printable } from '../../shared/printable';
import type { RunRecord } from '../../shared/run';
import type { ExecutorChoice } from '../../shared/slurm';
import { builtinDatasetSource, importDataset } from '../../main/data';
import { createRunDir, readRunRecord, updateRunRecord } from '../../main/runs';
import { activeRunLock, lockedError } from '../../main/runs/run-lock';
import { defaultDatasetsRoot, defaultRunsRoot } from '../../main/studio-home';
import { probeForcedBackendInChild } from '../../main/studio-service/probe';
import { CliError } from '../cli-error';
import { describeHyperParameterError } from '../config-errors';
import { CONFIG_FLAG_OPTIONS, configFlagHelp, configInputFromFlags, flagArgs, type ConfigFlagValues } from '../config-flags';
import { EXIT } from '../exit-codes';
import { parseCliArgs } from '../parse-args';
import { createProgressLine, type ProgressLine } from '../progress-bar';
import { EXECUTOR_HELP, EXECUTOR_OPTIONS, executorFromFlags } from '../slurm-flags';
import { superviseTraining } from '../supervise-training';

export const help = `Usage: gan-studio train [options]

Trains a GAN and writes a run directory (run.json, metrics.jsonl, epochs.jsonl,
samples/, checkpoints/). Ctrl-C stops after the current step and saves a
checkpoint; --resume continues it later.

Data and run:
  --data PATH               image folder, .zip/.tar/.tar.gz, CIFAR batches, IDX
                            or NPY (default: the built-in Fashion-MNIST sample)
  --max-images N            use at most N images
  --image-size N            resize images to N×N on import (default and only
                            choice: the preset's size; pick a preset for others)
  --classes A,B             keep only these classes
  --out DIR                 runs folder (default: $GAN_STUDIO_RUNS or
                            ~/.gan-studio/runs)
  --name TEXT               the run's name (default: the preset, the dataset
                            and what differs, as the studio names runs)
  --resume RUN_DIR          continue a stopped, crashed or finished run from its
                            last checkpoint (--epochs may extend it; --data
                            rebuilds its dataset cache if that was deleted)
${configFlagHelp('Run')}

Training (default: the preset's):
${configFlagHelp('Training')}

Optimizers (default: the preset's):
${configFlagHelp('Optimizers')}

Model (default: the preset's):
${configFlagHelp('Model')}

Recipes (default: off, except a preset's own — ${presetRecipes()}):
${configFlagHelp('Recipes')}

Sample grids:
${configFlagHelp('Samples')}

${EXECUTOR_HELP}

Exit codes: 0 finished, 1 training failed or crashed, 2 bad arguments or data,
3 forced backend unavailable, 130 stopped with Ctrl-C (checkpoint saved).`;

/** The options that are not config fields: where the data and the run are, and where it trains. */
const RUN_OPTIONS = {
  data: { type: 'string' },
  'max-images': { type: 'string' },
  'image-size': { type: 'string' },
  classes: { type: 'string' },
  out: { type: 'string' },
  name: { type: 'string' },
  resume: { type: 'string' },
  ...EXECUTOR_OPTIONS,
} as const;

/** Every option of `train`: the run's, then one per config field (src/shared/config-fields.ts). */
export const OPTIONS = { ...CONFIG_FLAG_OPTIONS, ...RUN_OPTIONS };

/** "quick: --ema 0.99" for each preset that switches recipes on. */
function presetRecipes(): string {
  return Object.values(PRESETS)
    .filter((preset) => preset.recipes && Object.keys(preset.recipes).length > 0)
    .map((preset) => {
      const flags = Object.entries(preset.recipes!).flatMap(([key, value]) => {
        const field = configField(key);
        return field ? flagArgs(field, value) : [];
      });
      return `${preset.name}: ${flags.join(' ')}`;
    })
    .join('; ');
}

export type Values = ReturnType<typeof parseCliArgs<{ args: string[]; options: typeof RUN_OPTIONS; strict: true }>>['values'] & ConfigFlagValues;

export async function run(argv: string[]): Promise<number> {
  const { values } = parseCliArgs({ args: argv, options: OPTIONS, strict: true, allowPositionals: false, allowNegative: true }) as { values: Values };
  const backend = parseBackend(optionalText(values.backend) ?? process.env.GAN_STUDIO_BACKEND);
  // A forced backend that cannot load should fail before a run folder exists.
  if (backend) await checkForcedBackend(backend);
  const progress = createProgressLine();
  if (values.resume) return resumeRun(values, backend, progress);

  const config = resolveConfig(configInputFromFlags(values));
  const runsRoot = resolve(values.out ?? defaultRunsRoot());
  const executor = await executorFromFlags(values, runsRoot);
  const imported = await datasetFor(values, config.preset, config.batchSize, progress);
  if (executor.kind === 'slurm') return trainOnSlurm(runsRoot, imported.manifest.id, config, values.name, executor);

  const { manifest } = imported;
  const { dir } = await createRunDir(runsRoot, {
    config,
    name: values.name,
    dataset: { id: manifest.id, name: manifest.name, fingerprint: manifest.source.fingerprint, dir: imported.dir },
  });
  console.error(`run: ${printable(dir)}`);
  return superviseTraining({ runDir: dir, datasetDir: imported.dir, config, resume: false, batchSize: config.batchSize, backend, progress });
}

/**
 * The dataset a new run (or sweep) trains on — --data or the built-in sample, imported at the
 * preset's size — checked to hold at least one batch of `batchSize`.
 */
export async function datasetFor(values: Values, presetName: PresetName, batchSize: number, progress: ProgressLine): ReturnType<typeof importDataset> {
  const preset = PRESETS[presetName];
  const imageSize = optionalNumber(values, 'image-size') ?? preset.imageSize;
  if (imageSize !== preset.imageSize) {
    throw new CliError(
      `The ${preset.name} preset generates ${preset.imageSize}×${preset.imageSize} images, but --image-size is ${imageSize}.`,
      EXIT.usage,
      `Omit --image-size (images are resized to ${preset.imageSize}) or pick a preset of that size: ${sizesOfPresets()}.`,
    );
  }
  const source = values.data ? resolve(values.data) : builtinDatasetSource();
  const imported = await importForPreset(source, preset, values, progress);
  const { manifest } = imported;
  progress.done(`dataset: ${manifest.name} — ${manifest.count} images ${manifest.width}×${manifest.height}×${manifest.channels}${imported.cached ? ' (cached)' : ''}`);
  if (manifest.count < batchSize) {
    throw new CliError(
      `The dataset has ${manifest.count} usable images, fewer than one batch of ${batchSize}.`,
      EXIT.usage,
      'Use a smaller --batch-size or a larger dataset.',
    );
  }
  return imported;
}

/** Submit the run as a Slurm job and follow it here until it ends (Ctrl-C stops following; the job goes on). */
async function trainOnSlurm(runsRoot: string, datasetId: string, config: TrainingConfig, name: string | undefined, executor: ExecutorChoice): Promise<number> {
  // Loaded only here: the studio service's modules would slow every local `train` start.
  const { headlessStudio, waitForRuns } = await import('../headless-studio');
  const studio = headlessStudio(runsRoot);
  const onSigint = () => {
    console.error('stopped following: the job goes on (scancel it, or Stop it in gan-studio serve)');
    process.exit(EXIT.interrupted);
  };
  try {
    const info = await studio.getExecutors();
    for (const warning of info.slurm.warnings) console.error(`warning: ${printable(warning)}`);
    const run = await studio.createRun({ datasetId, config, executor, ...(name ? { name } : {}) });
    console.error(`run: ${printable(join(runsRoot, run.id))} — Slurm job ${run.job?.jobId ?? '(submitting)'}; script: ${printable(join(runsRoot, run.id, 'slurm', 'job.sh'))}`);
    process.on('SIGINT', onSigint);
    const [ended] = await waitForRuns(studio, [run.id], (line) => console.error(line));
    return ended?.status === 'completed' ? EXIT.ok : EXIT.failed;
  } finally {
    process.off('SIGINT', onSigint);
    await studio.shutdown();
  }
}

/**
 * Load `backend` once in a probe process, not here: Dawn prints its warnings about a software
 * adapter's limits from native code, straight to this terminal; the probe's stderr drops them.
 */
async function checkForcedBackend(backend: BackendName): Promise<void> {
  try {
    await probeForcedBackendInChild(backend);
  } catch (error) {
    const hint = (error as { hint?: unknown }).hint;
    throw new CliError(error instanceof Error ? error.message : String(error), EXIT.unavailable, typeof hint === 'string' ? hint : undefined);
  }
}

/** With --resume only these may be given: the run's own config decides the rest. */
const RESUME_FLAGS = new Set(['resume', 'epochs', 'backend', 'data']);

async function resumeRun(values: Values, backend: BackendName | undefined, progress: ProgressLine): Promise<number> {
  const ignored = Object.keys(values).filter((key) => !RESUME_FLAGS.has(key));
  if (ignored.length > 0) {
    throw new CliError(
      `--resume continues a run with its own settings; ${ignored.map((key) => `--${key}`).join(', ')} cannot change them.`,
      EXIT.usage,
      'Resume with only --epochs (to extend), --backend or --data, or start a new run (a variant) with the new settings.',
    );
  }
  const runDir = resolve(values.resume as string);
  const record = await readRunRecord(runDir);
  // Checked here too, so a second terminal does not even change the live run's --epochs.
  const owner = await activeRunLock(runDir);
  if (owner) throw lockedError(runDir, owner);
  const datasetDir = existsSync(record.dataset.dir) ? record.dataset.dir : await reimportDataset(runDir, record, values, progress);
  const epochs = resumeEpochs(values.epochs);
  const finished = record.status === 'completed';
  if (epochs !== undefined && epochs < record.epoch) {
    throw new CliError(
      `--epochs ${epochs} is below the ${record.epoch} epochs already trained.`,
      EXIT.usage,
      `Pass --epochs ${record.epoch + 1} or more to train further${finished ? '' : `, or omit it to finish the planned ${record.config.epochs}`}.`,
    );
  }
  console.error(`resuming run: ${printable(runDir)} (epoch ${record.epoch}, step ${record.step})`);
  // The trainer writes the new length into run.json only once the resume is accepted.
  return superviseTraining({ runDir, datasetDir, resume: true, epochs, batchSize: record.config.batchSize, backend, progress });
}

/**
 * The run's dataset cache was deleted: rebuild it from `--data` at the preset's shape (a plain
 * `inspect-data PATH` would cache another shape, which the run cannot use), check it is the same
 * source, and point run.json at the new cache.
 */
async function reimportDataset(runDir: string, record: RunRecord, values: Values, progress: ProgressLine): Promise<string> {
  const preset = PRESETS[record.config.preset];
  if (!values.data) {
    throw new CliError(
      `The run's dataset cache ${record.dataset.dir} no longer exists.`,
      EXIT.usage,
      `Pass the dataset "${record.dataset.name}" again: gan-studio train --resume ${runDir} --data PATH ` +
        `(with the --max-images and --classes the run started with); it is re-imported at ${preset.imageSize}×${preset.imageSize}×${preset.channels}.`,
    );
  }
  const { dir, manifest } = await importForPreset(resolve(values.data), preset, values, progress);
  progress.done(`dataset: ${manifest.name} — re-imported, ${manifest.count} images`);
  if (manifest.source.fingerprint !== record.dataset.fingerprint) {
    throw new CliError(
      `${values.data} is not the dataset this run was trained on ("${record.dataset.name}"): its files differ.`,
      EXIT.usage,
      'Pass the same folder or file the run started with, unchanged; or start a new run on this dataset.',
    );
  }
  await updateRunRecord(runDir, { dataset: { ...record.dataset, id: manifest.id, dir } });
  return dir;
}

/** Import (or reuse the cache of) `source` at the preset's size and channels, with --max-images / --classes. */
function importForPreset(source: string, preset: ModelPreset, values: Values, progress: ProgressLine): ReturnType<typeof importDataset> {
  return importDataset(
    source,
    {
      size: preset.imageSize,
      channels: preset.channels,
      maxImages: optionalNumber(values, 'max-images'),
      classes: values.classes?.split(',').map((name) => name.trim()).filter(Boolean),
    },
    {
      cacheRoot: defaultDatasetsRoot(),
      frontEnd: 'cli',
      onProgress: (p) => progress.update(p.total ? p.done / p.total : 0, `importing: ${p.phase} ${p.done}${p.total ? `/${p.total}` : ''}`),
    },
  );
}

/** --epochs with --resume: checked on its own against the field's range (the rest of the config is the run's). */
function resumeEpochs(raw: Values[string]): number | undefined {
  const text = optionalText(raw);
  if (text === undefined) return undefined;
  try {
    return configValueFromFlag('--epochs', text).value as number;
  } catch (error) {
    if (error instanceof ConfigError) throw new CliError(`Invalid hyper-parameters:\n${error.message}`);
    throw error;
  }
}

function resolveConfig(input: TrainingConfigInput): TrainingConfig {
  const parsed = trainingConfigInputSchema.safeParse(input);
  if (!parsed.success) throw new CliError(`Invalid hyper-parameters:\n${describeHyperParameterError(parsed.error)}`);
  return resolveTrainingConfig(parsed.data);
}

/** A string option's value (parseArgs gives strings for them; undefined when absent). */
function optionalText(raw: Values[string]): string | undefined {
  return typeof raw === 'string' ? raw : undefined;
}

function optionalNumber(values: Values, key: 'max-images' | 'image-size'): number | undefined {
  const raw = values[key];
  if (raw === undefined) return undefined;
  const value = Number(raw);
  // Checked here, in train's words: the importer's own message names inspect-data's flags.
  if (typeof raw !== 'string' || raw.trim() === '' || !Number.isInteger(value) || value < 1) {
    throw new CliError(`--${key} expects a positive whole number, got "${String(raw)}".`, EXIT.usage, 'Run "gan-studio train --help" for its options.');
  }
  return value;
}

function parseBackend(name: string | undefined): BackendName | undefined {
  if (name === undefined || name === '') return undefined;
  if (!(BACKEND_NAMES as readonly string[]).includes(name)) {
    throw new CliError(`Unknown backend "${name}".`, EXIT.usage, `Choose one of: ${BACKEND_NAMES.join(', ')}.`);
  }
  return name as BackendName;
}

function sizesOfPresets(): string {
  return Object.values(PRESETS)
    .map((preset) => `${preset.name} (${preset.imageSize})`)
    .join(', ');
}
