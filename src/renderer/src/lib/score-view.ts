/**
 * What the views show of a run's quality scores (scores.jsonl records):
 * which scores it has, each one's per-epoch line, the reference real images
 * set for it, and the one-line answer to "is it learning?". Iterates
 * SCORE_SPECS, so a new score shows up without touching the views. Pure.
 */
import { formatScoreNumber, scoreDigits } from '../../../shared/score-format';
import { SCORE_SPECS, type ScoreSpec, type ScoreValue, type ScoresRecord } from '../../../shared/scores';
import type { Point } from './run-metrics';

/** One run's line on the score charts. */
export interface ScoredRun {
  name: string;
  color: string;
  records: ScoresRecord[];
}

/** The scores any of `records` holds, in SCORE_SPECS order. */
export function presentScores(records: ScoresRecord[]): ScoreSpec[] {
  return SCORE_SPECS.filter((spec) => records.some((record) => record.scores[spec.name] !== undefined));
}

/** [epoch, value] of one score, epochs without it left out. */
export function scoreSeries(records: ScoresRecord[], spec: ScoreSpec): Point[] {
  return records.flatMap((record) => {
    const score = record.scores[spec.name];
    return score ? [[record.epoch, score.value] as Point] : [];
  });
}

/** What real images score on this score, when the record says (held-out real images' own recognisable %). */
export function realReference(spec: ScoreSpec, record: ScoresRecord | undefined): ScoreValue | undefined {
  return spec.name === 'recognisable' ? record?.feature.realRecognisable : undefined;
}

/** "classifier cnn-28x28x1 (held-out accuracy 91.2%)". */
export function describeFeatures(record: ScoresRecord): string {
  const accuracy = record.feature.accuracy;
  return accuracy === undefined ? record.feature.network : `${record.feature.network} (held-out accuracy ${(accuracy * 100).toFixed(1)}%)`;
}

/** The score the headline leads with: recognisable % when the dataset has a classifier, else the first one present. */
export function headlineScore(records: ScoresRecord[]): ScoreSpec | undefined {
  const present = presentScores(records);
  return present.find((spec) => spec.name === 'recognisable') ?? present[0];
}

/**
 * One line answering "is it learning?": the headline score now, real images' own score beside it,
 * the sample size, and the change since the first scored epoch — called a change only when it
 * exceeds twice the combined std.
 * e.g. "Recognisable %: 62.0% at epoch 5 (real images: 91.0%), n = 500 — up from 12.0% at epoch 1: better".
 */
export function scoreHeadline(records: ScoresRecord[]): string | undefined {
  const spec = headlineScore(records);
  if (!spec) return undefined;
  const scored = records.filter((record) => record.scores[spec.name] !== undefined);
  const last = scored.at(-1)!;
  const now = last.scores[spec.name]!;
  const first = scored[0]!;
  const then = first.scores[spec.name]!;
  const reference = realReference(spec, last);
  const digits = scoreDigits([now.value, then.value, reference?.value ?? 0]);
  const fmt = (value: number): string => formatScoreNumber(spec, value, digits);
  let text = `${spec.label}: ${fmt(now.value)} at epoch ${last.epoch}`;
  if (reference) text += ` (real images: ${fmt(reference.value)})`;
  text += `, n = ${now.n}`;
  if (first === last) return text;
  const difference = now.value - then.value;
  const noise = 2 * Math.hypot(now.std, then.std);
  const direction = difference > 0 ? 'up' : 'down';
  if (difference === 0 || Math.abs(difference) <= noise) return `${text} — about the same as ${fmt(then.value)} at epoch ${first.epoch}`;
  const better = spec.direction === 'higher' ? difference > 0 : difference < 0;
  return `${text} — ${direction} from ${fmt(then.value)} at epoch ${first.epoch}: ${better ? 'better' : 'worse'}`;
}
