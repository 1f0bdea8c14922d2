/**
 * The quality half of the evidence pack: one SVG chart per score (this run,
 * and given a baseline, every seed of both arms), the newest numbers with
 * their sample size, and one verdict sentence per score against the
 * baseline, saying how many seeds stand behind each number. Other runs in
 * the same runs folder whose config differs only in the seed join their arm.
 * Iterates SCORE_SPECS: a new score needs no change here.
 */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { runAgainstBaseline, verdictRuleText, type Arm, type ArmRun } from '../../shared/score-arms';
import { formatScoreValue, RUN_SPREAD_NOTE } from '../../shared/score-format';
import { SCORE_SPECS, type ScoreSpec } from '../../shared/scores';
import { summariseArm } from '../../shared/verdict';
import { readArmRuns } from '../runs';
import { lineChartSvg, type LineChartSpec } from './charts';
import type { EvidenceScores } from './evidence-html';
import { readScores, type RunFiles } from './run-files';

const ARM_COLOURS = ['#d62728', '#1f77b4'];

function scoreChart(spec: ScoreSpec, arms: { label: string; runs: ArmRun[] }[], reference: number | undefined): LineChartSpec {
  return {
    title: `${spec.label} per epoch (${spec.direction} is better)`,
    xName: 'epoch',
    yName: spec.label,
    ...(spec.unit === '%' ? { yRange: [0, 100] as [number, number] } : {}),
    ...(reference !== undefined ? { referenceY: Number(reference.toFixed(1)) } : {}),
    series: arms.flatMap((arm, armIndex) =>
      arm.runs.map((run) => ({
        name: arm.runs.length > 1 ? `${arm.label} · seed ${run.config.seed}` : arm.label,
        color: ARM_COLOURS[armIndex % ARM_COLOURS.length],
        points: run.scores.flatMap((record) => {
          const score = record.scores[spec.name];
          return score ? [[record.epoch, score.value] as [number, number]] : [];
        }),
      })),
    ),
  };
}

/** What a run's score numbers mean: its dataset, and the feature network and sample size of its newest record. */
function scaleOf(run: ArmRun): string {
  const latest = run.scores.at(-1);
  return latest ? `${run.datasetId}, ${latest.feature.network}, n = ${latest.sampleSize}` : run.datasetId;
}

const seedsText = (arm: Arm): string => `${arm.runs.length} seed${arm.runs.length === 1 ? '' : 's'} (${arm.runs.map((r) => `${r.name}, seed ${r.config.seed}`).join('; ')})`;

/**
 * Write one chart per score into `dir`; returns the page section (undefined when no run involved
 * has scores), the files written and the notes on damaged score lines of the run and the baseline.
 */
export async function writeScoreSection(dir: string, run: RunFiles, baseline?: RunFiles): Promise<{ section?: EvidenceScores; files: string[]; notes: string[] }> {
  const { runs: ownRuns, notes: ownNotes } = await readArmRuns(run, readScores);
  const { runs: baseRuns, notes: baseNotes } = baseline ? await readArmRuns(baseline, readScores) : { runs: [], notes: [] };
  const notes = [...ownNotes, ...baseNotes.map((note) => `baseline: ${note}`)];
  const own = ownRuns[0]!;
  if (own.scores.length === 0 && baseRuns.every((r) => r.scores.length === 0)) return { files: [], notes };
  // Same config and dataset (only seeds differ): one arm, and the verdict only says so.
  const judged = baseline ? runAgainstBaseline(ownRuns, baseRuns) : undefined;
  const ownArm = judged?.ownArm ?? { key: '', name: run.record.name, runs: ownRuns };
  const baseArm = judged?.baseArm;
  const arms = [{ label: `this run: ${run.record.name}`, runs: ownArm.runs.filter((r) => ownRuns.includes(r)) }];
  // Scores on another dataset or feature network are never drawn on one chart as if comparable.
  const otherScale = baseArm !== undefined && scaleOf(baseRuns[0]!) !== scaleOf(own);
  if (baseArm && !otherScale) arms.push({ label: `baseline: ${baseline!.record.name}`, runs: baseArm.runs });

  const latest = own.scores.at(-1);
  const files: string[] = [];
  const charts: EvidenceScores['charts'] = [];
  for (const spec of SCORE_SPECS) {
    if (!arms.some((arm) => arm.runs.some((r) => r.scores.some((record) => record.scores[spec.name])))) continue;
    const reference = spec.name === 'recognisable' ? latest?.feature.realRecognisable?.value : undefined;
    const file = `score-${spec.name}.svg`;
    await writeFile(join(dir, file), lineChartSvg(scoreChart(spec, arms, reference)));
    files.push(file);
    charts.push({ file, alt: `${spec.label} per epoch${arms.length > 1 ? ', this run and the baseline' : ''}${reference !== undefined ? ', with real images\u2019 own score dashed' : ''}` });
  }

  // The newest numbers of this run, and its arm's mean when more seeds scored the same epoch.
  const rows: EvidenceScores['rows'] = [];
  if (latest) {
    for (const spec of SCORE_SPECS) {
      const score = latest.scores[spec.name];
      if (!score) continue;
      const seeds = ownArm.runs.flatMap((r) => r.scores.find((record) => record.epoch === latest.epoch)?.scores[spec.name] ?? []);
      const arm = seeds.length > 1 ? summariseArm(run.record.name, seeds) : undefined;
      rows.push({
        label: `${spec.label} (${spec.direction} is better)`,
        value: formatScoreValue(spec, score),
        seeds: arm ? `${formatScoreValue(spec, { value: arm.mean, std: arm.std, n: arm.n })} over ${arm.seeds} seeds` : '1 seed',
      });
    }
  }

  const verdict = judged?.result;
  const seeds = [`This run's arm: ${seedsText(ownArm)}.`];
  if (baseArm) seeds.push(`Baseline's arm: ${seedsText(baseArm)}.`);
  return {
    files,
    notes,
    section: {
      epoch: latest?.epoch,
      features: latest
        ? `Scores use ${latest.sampleSize} generated images per scored epoch and ${latest.feature.network}` +
          `${latest.feature.accuracy !== undefined ? ` (held-out accuracy ${(latest.feature.accuracy * 100).toFixed(1)}%)` : ''}` +
          `${latest.feature.realRecognisable ? `; held-out real images score ${formatScoreValue({ unit: '%' }, latest.feature.realRecognisable)} recognisable` : ''}. ` +
          `They compare runs on the same dataset only, not with published (Inception) numbers. ${RUN_SPREAD_NOTE}`
        : 'This run has no quality scores (scoring was off); the baseline\u2019s are charted.',
      charts,
      rows,
      seeds,
      verdicts: verdict?.lines.map((line) => line.verdict.sentence) ?? [],
      notes: [
        ...(otherScale ? [`The baseline's scores are not charted with this run's: they are on another scale (${scaleOf(baseRuns[0]!)}; this run: ${scaleOf(own)}).`] : []),
        ...(verdict?.notes ?? []),
      ],
      rule: verdictRuleText(verdict?.rule),
    },
  };
}
