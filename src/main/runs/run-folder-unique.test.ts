/**
 * A sweep makes hundreds of runs in a second, and generated run ids repeat
 * within a second (time + 4 hex digits): each run must still get its own
 * folder — before, a repeated id silently wrote over the other run's run.json.
 */
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { resolveTrainingConfig } from '../../shared/config';
import { createRunDir } from '.';

let root: string;
beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'gan-run-ids-'));
});
afterAll(async () => rm(root, { recursive: true, force: true }));

const config = resolveTrainingConfig({ preset: 'tiny', seed: 1 });
const dataset = { id: 'd', name: 'd', fingerprint: 'f', dir: '/d' };

it('gives 1,000 runs made at once 1,000 folders, and refuses a named id that is taken', async () => {
  const made = await Promise.all(Array.from({ length: 1000 }, (_, i) => createRunDir(root, { config, dataset, name: `run ${i}` })));
  expect(new Set(made.map((run) => run.record.id)).size).toBe(1000);
  expect((await readdir(root)).length).toBe(1000);
  await createRunDir(root, { config, dataset, id: 'taken' });
  await expect(createRunDir(root, { config, dataset, id: 'taken' })).rejects.toThrow('A run folder named "taken" already exists');
});
