/**
 * Scores as text for terminals: one line per score with its std, sample size
 * and direction, and the feature network it was computed with. ± is one
 * standard deviation, as everywhere in the studio (RUN_SPREAD_NOTE).
 */
import type { ScoreFeature, ScoreMap, ScoreValue } from '../../shared/scores';
import { RUN_SPREAD_NOTE } from '../../shared/score-format';
import { SCORE_SPECS } from '../../shared/scores';

/** Three significant digits (whole numbers from 1000 up). */
function formatNumber(value: number): string {
  if (value === 0) return '0';
  return Math.abs(value) >= 1000 ? value.toFixed(0) : value.toPrecision(3);
}

/** "48.3% ± 2.9 (n = 1000)" style text of one value. */
export function formatScoreValue(value: ScoreValue, unit: '' | '%' = ''): string {
  return `${formatNumber(value.value)}${unit} ± ${formatNumber(value.std)}${unit} (n = ${value.n})`;
}

/** The feature network line(s) and one line per score, in SCORE_SPECS order. */
export function formatScores(feature: ScoreFeature, scores: ScoreMap): string {
  const lines = [`feature network: ${feature.network}${feature.accuracy === undefined ? '' : `, held-out accuracy ${(100 * feature.accuracy).toFixed(1)}%`}`];
  if (feature.realRecognisable) lines.push(`held-out real images: recognisable ${formatScoreValue(feature.realRecognisable, '%')}`);
  for (const spec of SCORE_SPECS) {
    const value = scores[spec.name];
    if (!value) continue;
    lines.push(`  ${spec.label.padEnd(16)}${formatScoreValue(value, spec.unit).padEnd(34)}${spec.direction} is better`);
  }
  lines.push('Comparable only between runs on the same dataset (not with papers\u2019 Inception FID).');
  lines.push(RUN_SPREAD_NOTE);
  return lines.join('\n');
}

/** One line per scoring for a training progress log: "scores epoch 3 (n = 500): FID 41.2 ± 1.1, …". */
export function formatScoresLine(epoch: number, sampleSize: number, scores: ScoreMap): string {
  const parts = SCORE_SPECS.filter((spec) => scores[spec.name]).map((spec) => {
    const value = scores[spec.name]!;
    return `${spec.label.replace(' %', '')} ${formatNumber(value.value)}${spec.unit} ± ${formatNumber(value.std)}${spec.unit}`;
  });
  return `scores epoch ${epoch} (n = ${sampleSize}): ${parts.join(', ')}`;
}
