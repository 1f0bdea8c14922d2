import { describe, expect, it } from 'vitest';
import { SCORE_NAMES, SCORE_SPECS, scoresRecordSchema } from '../../shared/scores';
import { SCORES } from './registry';

describe('score registry', () => {
  it('has one entry per shared score name, in the shared order', () => {
    expect(SCORES.map((score) => score.spec.name)).toEqual([...SCORE_NAMES]);
    expect(SCORE_SPECS.map((spec) => spec.name)).toEqual([...SCORE_NAMES]);
    SCORES.forEach((score, i) => expect(score.spec).toBe(SCORE_SPECS[i]));
  });

  it('says which way is better, and which scores need the classifier', () => {
    const direction = Object.fromEntries(SCORE_SPECS.map((spec) => [spec.name, spec.direction]));
    expect(direction).toEqual({ fid: 'lower', kid: 'lower', swd: 'lower', precision: 'higher', recall: 'higher', recognisable: 'higher' });
    expect(SCORE_SPECS.filter((spec) => !spec.needsClassifier).map((spec) => spec.name)).toEqual(['kid', 'swd']);
    expect(SCORE_SPECS.find((spec) => spec.name === 'recognisable')!.unit).toBe('%');
  });

  it('refuses a score record without a sample size', () => {
    const record = { epoch: 1, step: 2, seconds: 1, sampleSize: 10, feature: { network: 'x' }, scores: { kid: { value: 0.1, std: 0.01, n: 10 } } };
    expect(scoresRecordSchema.safeParse(record).success).toBe(true);
    expect(scoresRecordSchema.safeParse({ ...record, scores: { kid: { value: 0.1, std: 0.01 } } }).success).toBe(false);
    expect(scoresRecordSchema.safeParse({ ...record, scores: { nope: { value: 0.1, std: 0.01, n: 10 } } }).success).toBe(false);
  });
});
