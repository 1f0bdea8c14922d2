/** Runs left "running" by a studio that died are shown as crashed — unless a live trainer holds them. */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolveTrainingConfig } from '../shared/config';
import { createRunDir, updateRunRecord } from './runs';
import { RUN_LOCK_FILE } from './runs/run-lock';
import { StudioService } from './studio-service';
import { FakeTrainer } from './studio-service/fake-trainer';

let root: string;
let service: StudioService;

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'gan-interrupted-'));
  service = new StudioService({
    runsRoot: join(root, 'runs'),
    datasetsRoot: join(root, 'datasets'),
    launcher: () => new FakeTrainer(),
    shell: 'browser',
    urlForRunFile: (runId, rel) => `/files/run/${runId}/${rel}`,
    urlForDatasetPreview: (id) => `/files/dataset/${id}/preview.png`,
    probeBackend: async () => ({ name: 'cpu', device: 'CPU', skipped: [] }),
  });
});
afterAll(async () => {
  await service.shutdown();
  await rm(root, { recursive: true, force: true });
});

async function runLeftRunning(id: string): Promise<string> {
  const dataset = { id: 'd', name: 'd', fingerprint: 'f', dir: join(root, 'datasets', 'd') };
  const { dir } = await createRunDir(join(root, 'runs'), { id, config: resolveTrainingConfig({ preset: 'tiny', seed: 1 }), dataset });
  await updateRunRecord(dir, { status: 'running' });
  return dir;
}

describe('interrupted runs', () => {
  it('shows a run whose trainer is gone as crashed, with a resumable reason', async () => {
    await runLeftRunning('orphan');
    const run = (await service.listRuns()).find((r) => r.id === 'orphan');
    expect(run).toMatchObject({ status: 'crashed', failure: { message: expect.stringContaining('Resume continues') } });
  });

  it('leaves a run alone while a live trainer (another terminal) holds its lock', async () => {
    const dir = await runLeftRunning('held');
    await writeFile(join(dir, RUN_LOCK_FILE), JSON.stringify({ pid: process.pid, host: hostname(), startedAt: new Date().toISOString() }));
    const run = (await service.listRuns()).find((r) => r.id === 'held');
    expect(run?.status).toBe('running');
  });
});
