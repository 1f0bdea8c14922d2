/**
 * Damaged files inside a readable run (issue 17, part 3). A garbled line in
 * metrics.jsonl, epochs.jsonl or scores.jsonl hides nothing else: the run is
 * listed with a damage note, opens with every good record and exports (CSV,
 * the evidence pack, the CLI) with the note. A checkpoint cut short is never
 * passed on: the generator export, the Generate view's list, generate and
 * score check each checkpoint against its SHA-256 list and use the newest
 * intact one, saying which. (Resume's own choice: training/resume-damaged.test.ts.)
 */
import { mkdtemp, readFile, rm, stat, truncate, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import type { RunSummary } from '../shared/api';
import { EXIT } from '../cli/exit-codes';
import { run as exportCommand } from '../cli/commands/export';
import { run as scoreCommand } from '../cli/commands/score';
import { addFixtureCheckpoint, makeFixtureRun } from './export/test-fixtures';
import { runGenerateJob } from './generate/generate';
import { StudioService } from './studio-service';
import { FakeTrainer } from './studio-service/fake-trainer';

let root: string;
let runsRoot: string;
let service: StudioService;
/** 30 epochs of 4 steps; line 101 of metrics.jsonl, line 5 of epochs.jsonl and line 2 of scores.jsonl garbled. */
let garbled: string;
/** Checkpoints at steps 4 and 8; step 8's generator weights cut to a third. */
let truncated: string;
let weightBytes: number;

const METRICS_NOTE = 'metrics.jsonl: line 101 is damaged and was skipped (119 good records kept).';
const EPOCHS_NOTE = 'epochs.jsonl: line 5 is damaged and was skipped (29 good records kept).';
const SCORES_NOTE = 'scores.jsonl: line 2 is damaged and was skipped (2 good records kept).';

async function garble(file: string, line: number, text: string): Promise<void> {
  const lines = (await readFile(file, 'utf8')).split('\n');
  lines[line - 1] = text;
  await writeFile(file, lines.join('\n'));
}

const errors = vi.spyOn(console, 'error').mockImplementation(() => undefined);
afterEach(() => errors.mockClear());
const stderr = (): string => errors.mock.calls.map((call) => call.join(' ')).join('\n');

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'gan-damaged-files-'));
  runsRoot = join(root, 'runs');
  const fid = (value: number) => ({ fid: { value, std: 0, n: 64 } });
  garbled = await makeFixtureRun(runsRoot, { id: 'garbled', epochs: 30, stepsPerEpoch: 4, scores: [fid(90), fid(70), fid(50)] });
  await garble(join(garbled, 'metrics.jsonl'), 101, '{"step":101,"gen_lo\u0000ss":');
  await garble(join(garbled, 'epochs.jsonl'), 5, 'x');
  await garble(join(garbled, 'scores.jsonl'), 2, '{"epoch": 2}');

  truncated = await makeFixtureRun(runsRoot, { id: 'truncated', epochs: 2 });
  await addFixtureCheckpoint(truncated, 4);
  const newest = await addFixtureCheckpoint(truncated, 8);
  weightBytes = (await stat(join(newest, 'weights.bin'))).size;
  await truncate(join(newest, 'weights.bin'), Math.floor(weightBytes / 3));

  service = new StudioService({
    runsRoot,
    datasetsRoot: join(root, 'datasets'),
    launcher: () => new FakeTrainer(),
    shell: 'browser',
    urlForRunFile: (runId, rel) => `/files/run/${runId}/${rel}`,
    urlForDatasetPreview: (id) => `/files/dataset/${id}/preview.png`,
    probeBackend: async () => ({ name: 'cpu', device: 'CPU', skipped: [] }),
    generate: { run: (job) => runGenerateJob(job), close: () => undefined },
  });
});
afterAll(async () => {
  await service.shutdown();
  await rm(root, { recursive: true, force: true });
});

describe('a garbled line in a run\u2019s jsonl files', () => {
  it('lists the run as it is (completed) with a note per damaged file', async () => {
    const run = (await service.listRuns()).find((item) => item.id === 'garbled') as RunSummary;
    expect(run.status).toBe('completed');
    expect(run.damageNotes).toEqual([METRICS_NOTE, EPOCHS_NOTE, SCORES_NOTE]);
    expect((await service.listRuns()).find((item) => item.id === 'truncated')).not.toHaveProperty('damageNotes');
  });

  it('opens the run with every good record and the notes', async () => {
    const detail = await service.getRun('garbled');
    expect(detail.stepCount).toBe(119);
    expect(detail.steps.map((s) => s.step)).toEqual([...Array.from({ length: 100 }, (_, i) => i + 1), ...Array.from({ length: 19 }, (_, i) => i + 102)]);
    expect(detail.epochs.map((e) => e.epoch)).not.toContain(5);
    expect(detail.epochs).toHaveLength(29);
    expect(detail.scores.map((s) => s.epoch)).toEqual([1, 3]);
    expect(detail.run.damageNotes).toEqual([METRICS_NOTE, EPOCHS_NOTE, SCORES_NOTE]);
  });

  it('exports CSV and the evidence pack with the notes', async () => {
    const csv = await service.exportRun({ runId: 'garbled', format: 'csv' });
    expect(csv.notes).toEqual([METRICS_NOTE, EPOCHS_NOTE, SCORES_NOTE]);
    const steps = (await readFile(join(garbled, 'exports', 'steps.csv'), 'utf8')).trim().split('\n');
    expect(steps).toHaveLength(1 + 119);
    const evidence = await service.writeEvidence({ runId: 'garbled' });
    expect(evidence.notes).toEqual([METRICS_NOTE, EPOCHS_NOTE, SCORES_NOTE]);
    expect(await readFile(join(garbled, 'exports', 'evidence', 'index.html'), 'utf8')).toContain(METRICS_NOTE);
  }, 60_000);

  it('lets `gan-studio export` write the CSV, exit 0 and print the notes', async () => {
    expect(await exportCommand([garbled, '--format', 'csv', '--out', join(root, 'csv')])).toBe(EXIT.ok);
    expect(stderr()).toContain(`note: ${METRICS_NOTE}`);
  });
});

describe('a checkpoint whose generator weights were cut short', () => {
  const damage = () => `generator/weights.bin is truncated (${Math.floor(weightBytes / 3)} of ${weightBytes} bytes)`;

  it('is not exported: `export --format generator` takes the newest intact one and says which', async () => {
    const out = join(root, 'generator');
    expect(await exportCommand([truncated, '--format', 'generator', '--out', out])).toBe(EXIT.ok);
    expect(stderr()).toContain(
      `note: checkpoint step-00000008 is damaged (${damage()}) and was passed over; used the newest intact one, step-00000004 (step 4)`,
    );
    const exported = await readFile(join(out, 'weights.bin'));
    expect(exported.equals(await readFile(join(truncated, 'checkpoints', 'step-00000004', 'generator', 'weights.bin')))).toBe(true);
    expect(JSON.parse(await readFile(join(out, 'gan-studio-generator.json'), 'utf8'))).toMatchObject({ step: 4 });
  });

  it('is listed as damaged with the reason, and generate falls back to the newest intact one', async () => {
    expect(await service.listCheckpoints('truncated')).toEqual([
      { step: 4, epoch: 1, stepInEpoch: 0, hasEma: false },
      { step: 8, epoch: 2, stepInEpoch: 0, hasEma: false, damage: damage() },
    ]);
    const result = await service.generate({ runId: 'truncated', spec: { kind: 'grid', seed: 1, count: 4 } });
    expect(result.checkpoint.step).toBe(4);
    expect(result.notes).toEqual([`checkpoint step-00000008 is damaged (${damage()}) and was passed over; used the newest intact one, step-00000004 (step 4)`]);
    await expect(service.generate({ runId: 'truncated', generator: { step: 8 }, spec: { kind: 'grid', seed: 1, count: 4 } })).rejects.toMatchObject({
      name: 'ExportInputError',
      message: expect.stringContaining(`Checkpoint step 8 of run "truncated" is damaged (${damage()})`),
    });
  });

  it('makes score name the damage when the epoch asked for has no intact checkpoint', async () => {
    await expect(scoreCommand([truncated, '--epoch', '2'])).rejects.toMatchObject({
      exitCode: EXIT.usage,
      message: expect.stringMatching(/no intact checkpoint of that epoch to score\. Damaged checkpoints: step-00000008 \(generator\/weights\.bin is truncated/),
    });
  });

  it('fails the generator export with every reason when no checkpoint is intact', async () => {
    await truncate(join(truncated, 'checkpoints', 'step-00000004', 'generator', 'model.json'), 10);
    expect(await exportCommand([truncated, '--format', 'generator', '--out', join(root, 'none')])).toBe(EXIT.usage);
    expect(stderr()).toMatch(/Every checkpoint of run "truncated" is damaged, so there is no generator to export: step-00000008 \(.*\); step-00000004 \(generator\/model\.json is truncated/);
  });
});
