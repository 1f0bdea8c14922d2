/**
 * Damaged run folders in the runs root (issue: one bad run.json emptied the
 * whole list in `serve`): each is listed as damaged with its reason, the
 * good runs stay listed, and a damaged run can be deleted.
 */
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DamagedRun } from '../shared/api';
import { resolveTrainingConfig } from '../shared/config';
import { createRunDir } from './runs';
import { StudioService } from './studio-service';
import { FakeTrainer } from './studio-service/fake-trainer';

let root: string;
let runsRoot: string;
let service: StudioService;
let good: Record<string, unknown>;

/** A run folder `id` whose run.json is `text` (or the good record changed by `change`). */
async function runFolder(id: string, content: string | ((record: Record<string, unknown>) => void)): Promise<void> {
  await mkdir(join(runsRoot, id), { recursive: true });
  let text = content as string;
  if (typeof content === 'function') {
    const record = structuredClone(good);
    content(record);
    text = JSON.stringify(record);
  }
  await writeFile(join(runsRoot, id, 'run.json'), text);
}

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'gan-damaged-'));
  runsRoot = join(root, 'runs');
  service = new StudioService({
    runsRoot,
    datasetsRoot: join(root, 'datasets'),
    launcher: () => new FakeTrainer(),
    shell: 'browser',
    urlForRunFile: (runId, rel) => `/files/run/${runId}/${rel}`,
    urlForDatasetPreview: (id) => `/files/dataset/${id}/preview.png`,
    probeBackend: async () => ({ name: 'cpu', device: 'CPU', skipped: [] }),
  });
  const dataset = { id: 'd', name: 'd', fingerprint: 'f', dir: join(root, 'datasets', 'd') };
  const { dir } = await createRunDir(runsRoot, { id: 'good', config: resolveTrainingConfig({ preset: 'tiny', seed: 1 }), dataset });
  good = JSON.parse(await readFile(join(dir, 'run.json'), 'utf8')) as Record<string, unknown>;
  await runFolder('escape', (r) => (r.id = '../../etc'));
  await runFolder('no-date', (r) => delete r.createdAt);
  await runFolder('garbage', '{"version": 1, "id": "garb');
  await runFolder('wrong-types', (r) => Object.assign(r, { id: 'wrong-types', epoch: 'three', status: 42 }));
  await runFolder('copied', () => undefined); // a copy of "good": its run.json names another folder
  await mkdir(join(runsRoot, 'not-a-run'));
});
afterAll(async () => {
  await service.shutdown();
  await rm(root, { recursive: true, force: true });
});

describe('damaged runs', () => {
  it('are listed with their reason, beside the good run', async () => {
    const list = await service.listRuns();
    expect(list.map((run) => run.id).sort()).toEqual(['copied', 'escape', 'garbage', 'good', 'no-date', 'wrong-types']);
    expect(list.find((run) => run.id === 'good')).toMatchObject({ status: 'created', latestSampleUrl: null });
    const damage = Object.fromEntries(list.filter((run): run is DamagedRun => run.status === 'damaged').map((run) => [run.id, run.damage]));
    expect(Object.keys(damage).sort()).toEqual(['copied', 'escape', 'garbage', 'no-date', 'wrong-types']);
    expect(damage.escape).toMatch(/run\.json is not a valid run record: id: expected letters, digits/);
    expect(damage['no-date']).toMatch(/createdAt/);
    expect(damage.garbage).toMatch(/run\.json is not valid JSON/);
    expect(damage['wrong-types']).toMatch(/status: .*epoch: /s);
    expect(damage.copied).toMatch(/says its id is "good" but it is in folder "copied"/);
  });

  it('cannot be opened (the reason is the error) but can be deleted', async () => {
    await expect(service.getRun('garbage')).rejects.toMatchObject({ name: 'NotFoundError', message: expect.stringMatching(/not valid JSON/) });
    await expect(service.getRun('copied')).rejects.toMatchObject({ name: 'NotFoundError', message: expect.stringMatching(/its run\.json says its id is "good"/) });
    await expect(service.renameRun('copied', 'x')).rejects.toMatchObject({ name: 'NotFoundError' });
    await service.deleteRun('garbage');
    expect(existsSync(join(runsRoot, 'garbage'))).toBe(false);
    await expect(service.deleteRun('not-a-run')).rejects.toMatchObject({ name: 'NotFoundError' });
    expect((await service.listRuns()).map((run) => run.id)).not.toContain('garbage');
  });

  it('do not break other consumers of the list (deleting a dataset checks every run)', async () => {
    await mkdir(join(root, 'datasets', 'd'), { recursive: true });
    await writeFile(join(root, 'datasets', 'd', 'manifest.json'), '{}');
    await service.deleteDataset('d');
    expect(existsSync(join(root, 'datasets', 'd'))).toBe(false);
  });
});
