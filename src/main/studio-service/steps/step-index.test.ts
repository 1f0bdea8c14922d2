import { appendFile, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeFileAtomic } from '../../runs';
import { syntheticStep } from '../../server/load-fixture';
import { FULL_TAIL, msAfterStep, RunStepsCache, STEP_POINTS, stepOverview, stepRange } from './run-steps';
import { StepIndex } from './step-index';

let dir: string;
const lines = (from: number, to: number): string => {
  let text = '';
  for (let step = from; step <= to; step++) text += JSON.stringify(syntheticStep(step, 10_000, 100)) + '\n';
  return text;
};

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'gan-step-index-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('StepIndex', () => {
  it('reads the records, then only what was appended; a torn last line waits for its end', async () => {
    const file = join(dir, 'append.jsonl');
    await writeFile(file, lines(1, 3000) + '{"step":3001,"epo');
    const index = new StepIndex(file);
    await index.refresh();
    expect(index.count).toBe(3000);
    expect(index.row(2999)).toEqual(syntheticStep(3000, 10_000, 100));
    await appendFile(file, lines(3001, 3001).slice('{"step":3001,"epo'.length) + lines(3002, 3005));
    await index.refresh();
    expect(index.count).toBe(3005);
    expect(index.row(3000)).toEqual(syntheticStep(3001, 10_000, 100));
    expect(Array.from(index.column('step').subarray(2998))).toEqual([2999, 3000, 3001, 3002, 3003, 3004, 3005]);
  });

  it('starts over when the file is replaced (a resume cuts the steps past its checkpoint)', async () => {
    const file = join(dir, 'rewrite.jsonl');
    await writeFile(file, lines(1, 500));
    const index = new StepIndex(file);
    await index.refresh();
    await writeFileAtomic(file, lines(1, 200) + lines(201, 260));
    await index.refresh();
    expect(index.count).toBe(260);
    expect(index.row(259).step).toBe(260);
  });

  it('skips a damaged line in the middle keeping every good one, and reads null (a NaN loss) as NaN', async () => {
    const file = join(dir, 'damaged.jsonl');
    await writeFile(file, lines(1, 10) + 'garbage\n' + lines(11, 12) + '{"gen_loss":1}\n' + '{"step":13,"ep\n');
    const damaged = new StepIndex(file);
    await damaged.refresh();
    expect(damaged.count).toBe(12);
    expect(damaged.row(10).step).toBe(11);
    // JSON that is no step record is damage; a last line that is not JSON may be a write cut off: damage only once a line follows it.
    expect(damaged.damage).toEqual({ count: 2, lines: [11, 14] });
    await appendFile(file, lines(13, 13));
    await damaged.refresh();
    expect(damaged.count).toBe(13);
    expect(damaged.damage).toEqual({ count: 3, lines: [11, 14, 15] });
    const nan = join(dir, 'nan.jsonl');
    await writeFile(nan, JSON.stringify({ ...syntheticStep(1, 10, 10), gen_loss: Number.NaN }) + '\n');
    const index = new StepIndex(nan);
    await index.refresh();
    expect(index.row(0).gen_loss).toBeNaN();
  });

  it('reads a missing file as no steps', async () => {
    const index = new StepIndex(join(dir, 'none.jsonl'));
    await index.refresh();
    expect(index.count).toBe(0);
    expect(stepOverview(index)).toEqual({ steps: [], count: 0 });
  });
});

describe('overview and ranges', () => {
  let index: StepIndex;
  beforeAll(async () => {
    const runDir = join(dir, 'run');
    await mkdir(runDir);
    await writeFile(join(runDir, 'metrics.jsonl'), lines(1, 10_000));
    index = await new RunStepsCache().index(runDir);
  });

  it('sends a bounded overview: first step, the newest steps in full, and the spike and dip', () => {
    const { steps, count } = stepOverview(index);
    expect(count).toBe(10_000);
    expect(steps.length).toBeLessThanOrEqual(STEP_POINTS);
    expect(steps[0]!.step).toBe(1);
    expect(steps.slice(-FULL_TAIL).map((s) => s.step)).toEqual(Array.from({ length: FULL_TAIL }, (_, i) => 10_000 - FULL_TAIL + 1 + i));
    expect(Math.max(...steps.map((s) => s.gen_loss))).toBe(50);
    expect(Math.min(...steps.map((s) => s.disc_loss))).toBe(-1);
  });

  it('gives a zoomed range in full when it fits, bounded when not', () => {
    const detail = stepRange(index, 4001, 4500);
    expect(detail.count).toBe(500);
    expect(detail.steps.map((s) => s.step)).toEqual(Array.from({ length: 500 }, (_, i) => 4001 + i));
    const wide = stepRange(index, 1, 9000);
    expect(wide.count).toBe(9000);
    expect(wide.steps.length).toBeLessThanOrEqual(STEP_POINTS);
    expect([wide.steps[0]!.step, wide.steps.at(-1)!.step]).toEqual([1, 9000]);
    expect(stepRange(index, 20_000, 30_000)).toEqual({ steps: [], count: 0 });
  });

  it('sums the time of the steps after a given step', () => {
    let expected = 0;
    for (let step = 9901; step <= 10_000; step++) expected += syntheticStep(step, 10_000, 100).ms;
    expect(msAfterStep(index, 9900)).toBe(expected);
  });
});
