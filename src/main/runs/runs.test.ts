import { mkdtemp, readFile, writeFile, mkdir, readdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { resolveTrainingConfig } from '../../shared/config';
import {
  createRunDir,
  JsonlAppender,
  describeJsonlDamage,
  listRuns,
  listSamples,
  parseJsonl,
  pruneSamplesAfter,
  readRunMetrics,
  readRunRecord,
  RunDirError,
  truncateRunMetrics,
  updateRunRecord,
} from './index';
import { isValidRunId, newRunId } from './run-id';

const dataset = { id: 'd1', name: 'digits', fingerprint: 'abc', dir: '/tmp/d1' };
let root: string;

beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'runs-test-'));
});

const step = (n: number) => ({ step: n, epoch: 1, gen_loss: 1, disc_loss: 1, real_accuracy: 0.5, fake_accuracy: 0.5, ms: 3 });

describe('run ids', () => {
  it('are timestamped, carry the preset and are valid folder names', () => {
    const id = newRunId('tiny', new Date('2026-11-27T22:51:03.123Z'));
    expect(id).toMatch(/^2026-11-27T22-51-03-tiny-[0-9a-f]{4}$/);
    expect(isValidRunId(id)).toBe(true);
    expect(isValidRunId('../escape')).toBe(false);
  });
});

describe('run.json', () => {
  it('is created, read back and updated atomically (no temp files left)', async () => {
    const config = resolveTrainingConfig({ preset: 'tiny', seed: 1 });
    const { dir, record } = await createRunDir(root, { config, dataset, id: 'r1' });
    expect(record.status).toBe('created');
    expect((await readRunRecord(dir)).config).toEqual(config);
    const updated = await updateRunRecord(dir, { status: 'running', epoch: 2, step: 20 });
    expect(updated.status).toBe('running');
    expect((await readRunRecord(dir)).step).toBe(20);
    expect((await readdir(dir)).filter((name) => name.startsWith('.tmp'))).toEqual([]);
  });

  it('explains a missing or damaged run.json', async () => {
    await expect(readRunRecord(join(root, 'nope'))).rejects.toThrow(/expected a run directory with run.json/i);
    await mkdir(join(root, 'bad'));
    await writeFile(join(root, 'bad', 'run.json'), '{"version":1,"id":"bad"}');
    await expect(readRunRecord(join(root, 'bad'))).rejects.toBeInstanceOf(RunDirError);
  });

  it('listRuns returns readable runs newest first and skips other folders', async () => {
    const config = resolveTrainingConfig({ preset: 'tiny', seed: 1 });
    await createRunDir(root, { config, dataset, id: 'older' });
    await new Promise((resolve) => setTimeout(resolve, 5));
    await createRunDir(root, { config, dataset, id: 'newer' });
    await mkdir(join(root, 'not-a-run'));
    expect((await listRuns(root)).map((run) => run.record?.id)).toEqual(['newer', 'older']);
    expect(await listRuns(join(root, 'missing'))).toEqual([]);
  });
});

describe('jsonl', () => {
  it('ignores a torn last line, and skips damage in the middle keeping every good line around it', () => {
    expect(parseJsonl('{"a":1}\n{"a":2}\n{"a":')).toEqual({ records: [{ a: 1 }, { a: 2 }] });
    // JSON that is no record cannot be a torn write: damage even on the last line.
    expect(parseJsonl('{"a":1}\n7\n').damage).toEqual({ count: 1, lines: [2] });
    expect(parseJsonl('{"a":1}\n{"a"\n{"a":3}\n7\n{"a":5}\n')).toEqual({ records: [{ a: 1 }, { a: 3 }, { a: 5 }], damage: { count: 2, lines: [2, 4] } });
    // A line that is JSON but not a record of the file's kind is damage too.
    expect(parseJsonl('{"step":1}\n{"loss":2}\n{"step":3}\n', (v) => typeof (v as { step?: unknown }).step === 'number').damage).toEqual({ count: 1, lines: [2] });
  });

  it('says which lines were skipped, listing at most five', () => {
    expect(describeJsonlDamage('metrics.jsonl', { count: 1, lines: [101] }, 1999)).toBe('metrics.jsonl: line 101 is damaged and was skipped (1,999 good records kept).');
    expect(describeJsonlDamage('epochs.jsonl', { count: 2, lines: [3, 9] }, 7, 'removed')).toBe('epochs.jsonl: 2 damaged lines were removed (lines 3 and 9; 7 good records kept).');
    const many = parseJsonl(Array.from({ length: 20 }, (_, i) => (i % 2 ? 'x' : '{}')).join('\n') + '\n{}\n');
    expect(describeJsonlDamage('scores.jsonl', many.damage!, many.records.length)).toBe(
      'scores.jsonl: 10 damaged lines were skipped (lines 2, 4, 6, 8, 10 and 5 more; 11 good records kept).',
    );
  });

  it('cuts a torn last line before appending, and truncates past a checkpoint step', async () => {
    const { dir } = await createRunDir(root, { config: resolveTrainingConfig({ preset: 'tiny', seed: 1 }), dataset, id: 'r' });
    const file = join(dir, 'metrics.jsonl');
    await writeFile(file, JSON.stringify(step(1)) + '\n' + JSON.stringify(step(2)) + '\n{"step":3,"ep');
    const appender = new JsonlAppender(file);
    appender.append(step(3));
    appender.close();
    expect((await readRunMetrics(dir)).steps.map((s) => s.step)).toEqual([1, 2, 3]);
    const kept = await truncateRunMetrics(dir, 2);
    expect(kept.steps.map((s) => s.step)).toEqual([1, 2]);
    expect(await readFile(file, 'utf8')).toBe(JSON.stringify(step(1)) + '\n' + JSON.stringify(step(2)) + '\n');
  });
});

describe('samples', () => {
  it('lists early-step grids then epoch grids in order', async () => {
    const { dir } = await createRunDir(root, { config: resolveTrainingConfig({ preset: 'tiny', seed: 1 }), dataset, id: 's' });
    for (const name of ['epoch-0002.png', 'step-000010.png', 'epoch-0001.png', 'step-000001.png', '.tmp-x.png']) {
      await writeFile(join(dir, 'samples', name), '');
    }
    expect((await listSamples(dir)).map((s) => s.file)).toEqual([
      'samples/step-000001.png',
      'samples/step-000010.png',
      'samples/epoch-0001.png',
      'samples/epoch-0002.png',
    ]);
    await pruneSamplesAfter(dir, { epoch: 1, step: 5 });
    expect((await listSamples(dir)).map((s) => s.file)).toEqual(['samples/step-000001.png', 'samples/epoch-0001.png']);
  });
});
