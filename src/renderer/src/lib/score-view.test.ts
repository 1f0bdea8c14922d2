import { describe, expect, it } from 'vitest';
import type { ScoreMap, ScoresRecord } from '../../../shared/scores';
import { headlineScore, presentScores, realReference, scoreHeadline, scoreSeries } from './score-view';

const feature = { network: 'classifier cnn', accuracy: 0.912, realRecognisable: { value: 91, std: 1, n: 500 } };

function record(epoch: number, scores: ScoreMap, withClassifier = true): ScoresRecord {
  return { epoch, step: epoch * 100, seconds: 2, sampleSize: 500, feature: withClassifier ? feature : { network: 'random projection' }, scores };
}

const rec = (value: number, std = 1) => ({ recognisable: { value, std, n: 500 }, kid: { value: 0.2 / value, std: 0.001, n: 500 } });

describe('score view helpers', () => {
  it('lists the scores present in SCORE_SPECS order and draws one line each', () => {
    const records = [record(1, rec(12)), record(2, { ...rec(40) }), record(3, { kid: { value: 0.01, std: 0, n: 500 } })];
    expect(presentScores(records).map((s) => s.name)).toEqual(['kid', 'recognisable']);
    const recognisable = presentScores(records)[1]!;
    expect(scoreSeries(records, recognisable)).toEqual([
      [1, 12],
      [2, 40],
    ]);
    expect(realReference(recognisable, records[0])).toEqual(feature.realRecognisable);
    expect(realReference(presentScores(records)[0]!, records[0])).toBeUndefined();
  });

  it('leads with recognisable %, real images beside it, n, and the change since the first epoch', () => {
    expect(scoreHeadline([record(1, rec(12)), record(5, rec(62))])).toBe(
      'Recognisable %: 62.0% at epoch 5 (real images: 91.0%), n = 500 — up from 12.0% at epoch 1: better',
    );
    expect(scoreHeadline([record(1, rec(62)), record(5, rec(12))])).toMatch(/down from 62\.0% at epoch 1: worse$/);
    // A change within twice the combined std is not called a change.
    expect(scoreHeadline([record(1, rec(60, 2)), record(2, rec(63, 2))])).toMatch(/about the same as 60\.0% at epoch 1$/);
    expect(scoreHeadline([record(1, rec(30))])).toBe('Recognisable %: 30.0% at epoch 1 (real images: 91.0%), n = 500');
  });

  it('without a classifier, leads with the first score present, lower-is-better honoured', () => {
    const records = [record(1, { kid: { value: 0.21, std: 0.01, n: 200 } }, false), record(2, { kid: { value: 0.05, std: 0.01, n: 200 } }, false)];
    expect(headlineScore(records)?.name).toBe('kid');
    expect(scoreHeadline(records)).toBe('KID: 0.050 at epoch 2, n = 200 — down from 0.210 at epoch 1: better');
    expect(scoreHeadline([])).toBeUndefined();
  });
});
