import { appendFile, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ScoresRecord } from '../../shared/scores';
import { readLatestScores } from './latest-scores';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'latest-scores-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

const record = (epoch: number): ScoresRecord => ({
  epoch,
  step: epoch * 10,
  seconds: 1,
  sampleSize: 500,
  feature: { network: 'classifier cnn', accuracy: 0.9 },
  scores: { fid: { value: 100 / epoch, std: 0, n: 500 } },
});

describe('readLatestScores', () => {
  it('is null without a file', async () => {
    expect(await readLatestScores(dir)).toBeNull();
  });

  it('reads the newest record from the tail of a long file, skipping a torn last line', async () => {
    const file = join(dir, 'scores.jsonl');
    // ~2,000 records: far more than the tail it reads.
    await writeFile(file, Array.from({ length: 2000 }, (_, i) => JSON.stringify(record(i + 1))).join('\n') + '\n');
    expect((await readLatestScores(dir))?.epoch).toBe(2000);
    await appendFile(file, '{"epoch": 2001, "step"');
    expect((await readLatestScores(dir))?.epoch).toBe(2000);
  });
});
