/**
 * The baseline half of the evidence pack: the two runs' grids side by side
 * (final grids, and also at the last epoch both reached when their lengths
 * differ, so the comparison at equal training is there too), both runs'
 * fake accuracy on one chart, the config diff and the comparison sentences.
 */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { EpochMetrics } from '../../shared/metrics';
import { fakeAccuracyComparison, lineChartSvg } from './charts';
import { compareRuns, type RunComparison } from './compare';
import type { EvidencePage } from './evidence-html';
import { describeComparison, runNumbers, type RunNumbers } from './evidence-summary';
import { autoScale, layoutFor, renderFrame, type Panel } from './frames';
import type { EpochSample, RunFiles } from './run-files';

/** One run as the baseline section sees it. */
export interface ComparedRun {
  run: RunFiles;
  epochs: EpochMetrics[];
  /** Label used in titles and tables ("baseline: …", "this run: …"). */
  label: string;
}

/** Draw the two runs' grids side by side, baseline left. */
async function sideBySide(out: string, pair: [ComparedRun, EpochSample][], captionPrefix: string): Promise<void> {
  const bases = await Promise.all(pair.map(([, sample]) => layoutFor(sample.path, 1)));
  const box = { gridWidth: Math.max(...bases.map((b) => b.gridWidth)), gridHeight: Math.max(...bases.map((b) => b.gridHeight)) };
  const scale = autoScale(box.gridWidth);
  const panels: Panel[] = pair.map(([compared, sample]) => ({
    gridPath: sample.path,
    title: compared.label,
    caption: `${captionPrefix}epoch ${sample.epoch}`,
  }));
  const longest = panels.map((p) => p.caption).reduce((a, b) => (b.length > a.length ? b : a));
  await writeFile(out, await renderFrame(panels, { gridWidth: box.gridWidth * scale, gridHeight: box.gridHeight * scale }, longest));
}

function noiseNote(comparison: RunComparison): string {
  return comparison.sharedNoise
    ? `Both grids are drawn from the same latent vectors (same latent size and fixed noise)${comparison.reason ? `; ${comparison.reason}` : ''}, ` +
        'so each tile compares the two generators on the same input.'
    : `The grids are NOT drawn from the same latent vectors: ${comparison.reason}. Compare overall quality, not tile by tile.`;
}

/** Write the baseline images into `dir`; returns the page section, the file names and the numbers. */
export async function writeBaselineSection(
  dir: string,
  baseline: ComparedRun,
  current: ComparedRun,
): Promise<{ section: NonNullable<EvidencePage['baseline']>; files: string[]; numbers: RunNumbers; ownNumbers: RunNumbers; comparison: RunComparison }> {
  const comparison = await compareRuns([baseline.run.dir, current.run.dir]);
  const numbers = runNumbers(baseline.label, baseline.epochs);
  const ownNumbers = runNumbers(current.label, current.epochs);
  const baseFinal = baseline.run.samples.at(-1)!;
  const ownFinal = current.run.samples.at(-1)!;
  const files = ['baseline-vs-run.png', 'fake-accuracy-vs-baseline.svg'];
  await sideBySide(join(dir, files[0]!), [[baseline, baseFinal], [current, ownFinal]], 'final: ');

  let sameEpochImage: string | undefined;
  if (baseFinal.epoch !== ownFinal.epoch) {
    const epoch = Math.min(baseFinal.epoch, ownFinal.epoch);
    const baseAt = baseline.run.samples.find((s) => s.epoch === epoch);
    const ownAt = current.run.samples.find((s) => s.epoch === epoch);
    if (baseAt && ownAt) {
      sameEpochImage = `baseline-vs-run-epoch-${epoch}.png`;
      await sideBySide(join(dir, sameEpochImage), [[baseline, baseAt], [current, ownAt]], '');
      files.push(sameEpochImage);
    }
  }
  await writeFile(
    join(dir, files[1]!),
    lineChartSvg(
      fakeAccuracyComparison([
        { name: baseline.label, epochs: baseline.epochs },
        { name: current.label, epochs: current.epochs },
      ]),
    ),
  );
  const section: NonNullable<EvidencePage['baseline']> = {
    name: baseline.run.record.name,
    numbers,
    comparisonImage: files[0]!,
    sameEpochImage,
    fakeAccuracyChart: files[1]!,
    sharedNoise: comparison.sharedNoise,
    noiseNote: noiseNote(comparison),
    configDiff: comparison.configDiff,
    lines: describeComparison(ownNumbers, numbers),
  };
  return { section, files, numbers, ownNumbers, comparison };
}
