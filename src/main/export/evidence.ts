/**
 * The evidence pack: one folder a learner hands in — index.html plus the
 * progress GIF, charts and grids it shows, and evidence.json with the same
 * numbers for scripts. Built in a temp folder and renamed into place, so a
 * cancelled pack leaves nothing behind.
 */
import { stat, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { Progress } from '../../shared/api';
import { describeRecipes } from '../../shared/config-fields';
import { studioVersion } from '../paths';
import { exportProgressAnimation } from './animation';
import { writeDirAtomically } from './atomic-output';
import { accuracyChart, lineChartSvg, lossChart } from './charts';
import type { RunComparison } from './compare';
import { explainExportFailure, throwIfCancelled } from './errors';
import { renderEvidenceHtml, type EvidencePage, type EvidenceScores } from './evidence-html';
import { writeBaselineSection } from './evidence-baseline';
import { writeScoreSection } from './evidence-scores';
import { describeRun, runNumbers, type RunNumbers } from './evidence-summary';
import type { ResolvedFfmpeg } from './ffmpeg';
import { autoScale, ensureCaptionFont, layoutFor, renderFrame } from './frames';
import { readMetrics, readRun, samplesInRange, type RunFiles } from './run-files';

export interface EvidenceOptions {
  runDir: string;
  /** The run the improvement is measured against. */
  baselineRunDir?: string;
  /** A new or empty folder, or one a previous evidence pack wrote (it is replaced). */
  outDir: string;
  onProgress?: (progress: Progress) => void;
  signal?: AbortSignal;
  ffmpeg?: ResolvedFfmpeg;
}

export interface EvidenceResult {
  dir: string;
  index: string;
  files: string[];
  run: RunNumbers;
  baseline?: RunNumbers & { comparison: RunComparison };
  /** Quality scores, verdicts and seeds; absent when neither run was scored. */
  scores?: EvidenceScores;
  /** Damaged lines of the run's (or the baseline's) metrics and scores, left out of the pack. */
  notes: string[];
}

/** Marks a folder as an evidence pack, so writing the pack again may replace it. */
const MARKER = 'evidence.json';

function setupRows(run: RunFiles): [string, string][] {
  const c = run.record.config;
  return [
    ['preset', c.preset],
    ['dataset', run.record.dataset?.name ?? '—'],
    ['epochs (planned)', String(c.epochs)],
    ['batch size', String(c.batchSize)],
    ['latent size', String(c.latentDim)],
    ['generator learning rate / beta1', `${c.generatorLearningRate} / ${c.generatorBeta1}`],
    ['discriminator learning rate / beta1', `${c.discriminatorLearningRate} / ${c.discriminatorBeta1}`],
    ['seed', String(c.seed)],
    ['recipes', describeRecipes(c)],
    ['backend', run.record.backend ? `${run.record.backend.name}` : '—'],
    ['status', run.record.status],
  ];
}

/** Write the evidence folder for a run (and, given one, its baseline). */
export async function writeEvidence(options: EvidenceOptions): Promise<EvidenceResult> {
  try {
    return await writeEvidencePack(options);
  } catch (error) {
    throw explainExportFailure(error);
  }
}

async function writeEvidencePack(options: EvidenceOptions): Promise<EvidenceResult> {
  const { signal, onProgress } = options;
  const operation = 'evidence pack';
  const report = (done: number, message: string): void => onProgress?.({ operation, done, total: 100, message });
  const run = await readRun(options.runDir);
  const baseline = options.baselineRunDir ? await readRun(options.baselineRunDir) : undefined;
  const finalSample = samplesInRange(run).at(-1)!;
  // Fail before any work when the baseline has no grid yet.
  if (baseline) samplesInRange(baseline);
  const metrics = await readMetrics(run.dir);
  const baselineMetrics = baseline ? await readMetrics(baseline.dir) : undefined;
  await ensureCaptionFont();

  const dir = resolve(options.outDir);
  return writeDirAtomically(
    dir,
    async (temp) => {
      report(0, 'drawing the progress GIF');
      await exportProgressAnimation(run.dir, {
        format: 'gif',
        out: join(temp, 'progress.gif'),
        signal,
        ffmpeg: options.ffmpeg,
        onProgress: (p) => report(Math.round((70 * p.done) / (p.total ?? p.done)), 'drawing the progress GIF'),
      });
      throwIfCancelled(signal);

      report(70, 'rendering charts');
      await writeFile(join(temp, 'loss.svg'), lineChartSvg(lossChart(metrics.steps, metrics.epochs, 'Loss')));
      await writeFile(join(temp, 'accuracy.svg'), lineChartSvg(accuracyChart(metrics.steps, metrics.epochs, 'Discriminator accuracy')));

      report(80, 'final grid');
      const base = await layoutFor(finalSample.path, 1);
      const layout = await layoutFor(finalSample.path, autoScale(base.gridWidth));
      const caption = `epoch ${finalSample.epoch}`;
      await writeFile(join(temp, 'final-grid.png'), await renderFrame([{ gridPath: finalSample.path, caption }], layout, caption));
      throwIfCancelled(signal);

      const numbers = runNumbers(run.record.name, metrics.epochs);
      const page: EvidencePage = {
        runName: run.record.name,
        runId: run.record.id,
        datasetName: run.record.dataset?.name ?? '—',
        generatedAt: new Date().toISOString(),
        studioVersion: studioVersion(),
        setup: setupRows(run),
        images: { progressGif: 'progress.gif', finalGrid: 'final-grid.png', lossChart: 'loss.svg', accuracyChart: 'accuracy.svg' },
        numbers,
        runText: describeRun(numbers),
      };

      let baselineResult: EvidenceResult['baseline'];
      const files = ['index.html', MARKER, 'progress.gif', 'loss.svg', 'accuracy.svg', 'final-grid.png'];
      report(82, 'quality scores');
      const scores = await writeScoreSection(temp, run, baseline);
      const notes = [...metrics.notes, ...(baselineMetrics?.notes ?? []).map((note) => `baseline: ${note}`), ...scores.notes];
      if (notes.length > 0) page.notes = notes;
      if (scores.section) page.scores = scores.section;
      files.push(...scores.files);
      if (baseline && baselineMetrics) {
        report(85, 'baseline comparison');
        const parts = await writeBaselineSection(
          temp,
          { run: baseline, epochs: baselineMetrics.epochs, label: `baseline: ${baseline.record.name}` },
          { run, epochs: metrics.epochs, label: `this run: ${run.record.name}` },
        );
        page.baseline = parts.section;
        page.numbers = parts.ownNumbers;
        files.push(...parts.files);
        baselineResult = { ...parts.numbers, comparison: parts.comparison };
      }

      report(95, 'writing index.html');
      await writeFile(join(temp, 'index.html'), renderEvidenceHtml(page));
      await writeFile(join(temp, MARKER), JSON.stringify({ run: numbers, baseline: baselineResult ?? null, scores: scores.section ?? null, notes }, null, 2) + '\n');
      report(100, `wrote ${dir}`);
      return {
        dir,
        index: join(dir, 'index.html'),
        files: files.map((file) => join(dir, file)),
        run: numbers,
        baseline: baselineResult,
        ...(scores.section ? { scores: scores.section } : {}),
        notes,
      };
    },
    async (existing) => stat(join(existing, MARKER)).then(
      () => true,
      () => false,
    ),
  );
}
