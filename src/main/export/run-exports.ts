/**
 * The still exports of one run: a PNG of any grid, charts (SVG + PNG),
 * metrics CSV and the generator as a tf.js model folder. Each output file is
 * written atomically (see atomic-output.ts).
 */
import { stat, writeFile } from 'node:fs/promises';
import { basename, join, resolve } from 'node:path';
import sharp from 'sharp';
import { PRESETS } from '../../shared/preset-catalog';
import { describeDamaged, newestIntactCheckpoint, passedOverNotes } from '../training/checkpoint-choice';
import { inFolders } from '../training/checkpoint-integrity';
import { writeDirAtomically, writeFileAtomically, writeFilesAtomically } from './atomic-output';
import { accuracyChart, lineChartSvg, lossChart, svgToPng } from './charts';
import { EPOCH_SCORE_COLUMNS, epochRowsWithScores, STEP_COLUMNS, toCsv } from './csv';
import { ExportInputError, throwIfCancelled } from './errors';
import { ensureCaptionFont } from './frames';
import { checkRunFile, readMetrics, readRun, readRunFile, readScores, samplesInRange } from './run-files';

/** The long side an "auto" PNG reaches at least: big enough to see, print or paste into a report. */
export const PNG_AUTO_LONG_SIDE = 512;

/** The whole-number factor (at most 16) that brings a grid's long side to PNG_AUTO_LONG_SIDE or more; 1 for grids already that big. */
export function autoPngScale(width: number, height: number): number {
  return Math.max(1, Math.min(16, Math.ceil(PNG_AUTO_LONG_SIDE / Math.max(1, width, height))));
}

/** A PNG of one epoch's grid (default: the last), upscaled with nearest-neighbour (default: to a useful size). */
export async function exportGridPng(
  runDir: string,
  options: { out: string; epoch?: number; scale?: number },
): Promise<{ path: string; epoch: number; width: number; height: number }> {
  if (options.scale !== undefined && (!Number.isInteger(options.scale) || options.scale < 1 || options.scale > 16)) {
    throw new ExportInputError(`Expected an integer scale from 1 to 16, got ${options.scale}.`);
  }
  const run = await readRun(runDir);
  const samples = options.epoch === undefined ? samplesInRange(run) : samplesInRange(run, options.epoch, options.epoch);
  const sample = samples.at(-1)!;
  const png = await readRunFile(sample.path);
  const meta = await sharp(png).metadata();
  const scale = options.scale ?? autoPngScale(meta.width ?? 0, meta.height ?? 0);
  const width = (meta.width ?? 0) * scale;
  const height = (meta.height ?? 0) * scale;
  const path = resolve(options.out);
  await writeFileAtomically(path, async (temp) => {
    await sharp(png).resize({ width, height, kernel: 'nearest' }).png().toFile(temp);
  });
  return { path, epoch: sample.epoch, width, height };
}

/** Files written, and what was damaged in the run and skipped (one sentence per file). */
export interface WrittenWithNotes {
  paths: string[];
  notes: string[];
}

/** steps.csv and epochs.csv (with the quality scores of each scored epoch) in `outDir`; damaged lines are left out and noted. */
export async function exportCsv(runDir: string, outDir: string): Promise<WrittenWithNotes> {
  await readRun(runDir);
  const { steps, epochs, notes } = await readMetrics(runDir);
  if (steps.length === 0 && epochs.length === 0) throw new ExportInputError(`Run ${runDir} has no metrics yet.`, 'Export after the first training steps.');
  const scores = await readScores(runDir);
  const rows = epochRowsWithScores(epochs, scores.records);
  const paths = await writeFilesAtomically(resolve(outDir), async (stage) => {
    await writeFile(join(stage, 'steps.csv'), toCsv(steps, STEP_COLUMNS));
    await writeFile(join(stage, 'epochs.csv'), toCsv(rows, EPOCH_SCORE_COLUMNS));
    return ['steps.csv', 'epochs.csv'];
  });
  return { paths, notes: [...notes, ...scores.notes] };
}

/** loss.svg/.png and accuracy.svg/.png in `outDir`; damaged metric lines are left out and noted. */
export async function exportCharts(runDir: string, outDir: string, signal?: AbortSignal): Promise<WrittenWithNotes> {
  const run = await readRun(runDir);
  const { steps, epochs, notes } = await readMetrics(runDir);
  if (steps.length === 0 && epochs.length === 0) throw new ExportInputError(`Run ${runDir} has no metrics yet.`, 'Export after the first training steps.');
  await ensureCaptionFont();
  const charts = {
    loss: lineChartSvg(lossChart(steps, epochs, `Loss — ${run.record.name}`)),
    accuracy: lineChartSvg(accuracyChart(steps, epochs, `Discriminator accuracy — ${run.record.name}`)),
  };
  // All four files or none: a failure halfway (a full disk, a cancel) leaves no mixed set.
  const paths = await writeFilesAtomically(resolve(outDir), async (stage) => {
    const names: string[] = [];
    for (const [name, svg] of Object.entries(charts)) {
      throwIfCancelled(signal);
      await writeFile(join(stage, `${name}.svg`), svg);
      await writeFile(join(stage, `${name}.png`), await svgToPng(svg));
      names.push(`${name}.svg`, `${name}.png`);
    }
    return names;
  });
  return { paths, notes };
}

/** Written next to model.json so a user knows what the model expects and makes. */
export const GENERATOR_INFO_FILE = 'gan-studio-generator.json';

/**
 * The generator folder to export from the newest checkpoint whose generator checks out against
 * its SHA-256 list: generator-ema/ when the run trains an EMA generator (the one its grids and
 * scores show), else generator/. Damaged newer checkpoints are passed over and named in `notes`;
 * ExportInputError when no checkpoint has an intact generator.
 */
export async function latestGeneratorDir(runDir: string, runName: string): Promise<{ dir: string; step: number; notes: string[] }> {
  const { checkpoint, passedOver } = await newestIntactCheckpoint(runDir, inFolders('generator', EMA_FOLDER));
  if (!checkpoint) {
    if (passedOver.length === 0) throw new ExportInputError(`Run "${runName}" has no saved checkpoint yet.`, 'Export the generator after the first checkpoint (at the end of an epoch).');
    throw new ExportInputError(
      `Every checkpoint of run "${runName}" is damaged, so there is no generator to export: ${describeDamaged(passedOver)}.`,
      'Train the run on (a resume writes new checkpoints), or start a new run with the same settings.',
    );
  }
  const hasEma = await isFile(join(checkpoint.dir, EMA_FOLDER, 'model.json'));
  return { dir: join(checkpoint.dir, hasEma ? EMA_FOLDER : 'generator'), step: checkpoint.step, notes: passedOverNotes(passedOver, checkpoint) };
}

/** The EMA generator's folder in a checkpoint (training/checkpoint.ts's EMA_DIR, named here so exports do not load tf.js). */
const EMA_FOLDER = 'generator-ema';

const isFile = (path: string): Promise<boolean> => stat(path).then((info) => info.isFile(), () => false);

/** model.json plus every weight file its manifest names (flat names only: nothing outside the folder). */
async function modelFiles(dir: string): Promise<string[]> {
  const modelJson = JSON.parse((await readRunFile(join(dir, 'model.json'))).toString('utf8')) as { weightsManifest?: { paths: string[] }[] };
  const paths = (modelJson.weightsManifest ?? []).flatMap((group) => group.paths);
  const bad = paths.find((path) => path !== basename(path) || path.startsWith('.'));
  if (bad) throw new ExportInputError(`${join(dir, 'model.json')} names a weight file outside its folder: ${bad}.`);
  return ['model.json', ...new Set(paths)];
}

/** Copy the newest intact generator into `outDir` as a tf.js LayersModel folder (model.json + weights.bin). */
export async function exportGenerator(runDir: string, outDir: string): Promise<{ dir: string; step: number; notes: string[] }> {
  const run = await readRun(runDir);
  const latest = await latestGeneratorDir(run.dir, run.record.name);
  const preset = PRESETS[run.record.config.preset];
  const info = {
    run: run.record.id,
    step: latest.step,
    preset: run.record.config.preset,
    latentDim: run.record.config.latentDim,
    input: `float32 [n, ${run.record.config.latentDim}] drawn from a standard normal`,
    output: `float32 [n, ${preset.imageSize}, ${preset.imageSize}, ${preset.channels}] in [-1, 1] (tanh): pixel = (x + 1) * 127.5`,
    load: "tf.loadLayersModel('file://…/model.json') with tfjs-node, or tf.io.fromMemory / an HTTP URL in the browser",
  };
  const dir = resolve(outDir);
  await writeDirAtomically(
    dir,
    async (temp) => {
      for (const file of await modelFiles(latest.dir)) {
        // Read, not copied: a checkpoint file that is a link to elsewhere must not be exported.
        await checkRunFile(run.dir, join(latest.dir, file));
        await writeFile(join(temp, file), await readRunFile(join(latest.dir, file)));
      }
      await writeFile(join(temp, GENERATOR_INFO_FILE), JSON.stringify(info, null, 2) + '\n');
    },
    async (existing) => stat(join(existing, GENERATOR_INFO_FILE)).then(() => true, () => false),
  );
  return { dir, step: latest.step, notes: latest.notes };
}
