import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadSettings, resolveRunsRoot, saveSettings } from './settings';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'gan-settings-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

describe('settings', () => {
  it('round-trips and falls back to defaults for a missing or damaged file', async () => {
    const file = join(dir, 'settings.json');
    expect(await loadSettings(file)).toEqual({});
    await saveSettings(file, { runsRoot: '/data/runs' });
    expect(await loadSettings(file)).toEqual({ runsRoot: '/data/runs' });
    await writeFile(file, '{ not json');
    expect(await loadSettings(file)).toEqual({});
    await writeFile(file, JSON.stringify({ runsRoot: 42 }));
    expect(await loadSettings(file)).toEqual({});
  });

  it('keeps a concurrency limit of 1–64 whole runs and refuses anything else', async () => {
    const file = join(dir, 'settings.json');
    await saveSettings(file, { maxConcurrentRuns: 3 });
    expect(await loadSettings(file)).toEqual({ maxConcurrentRuns: 3 });
    for (const bad of [0, 1.5, 65, '2']) {
      await writeFile(file, JSON.stringify({ maxConcurrentRuns: bad }));
      expect(await loadSettings(file)).toEqual({});
    }
  });

  it('picks the runs root: env, then settings, then the default; relative paths resolve against cwd', () => {
    const base = { defaultRoot: '/home/u/.config/GAN Studio/runs', cwd: '/work' };
    expect(resolveRunsRoot({ ...base, env: {}, settings: {} })).toBe('/home/u/.config/GAN Studio/runs');
    expect(resolveRunsRoot({ ...base, env: {}, settings: { runsRoot: '/data/runs' } })).toBe('/data/runs');
    expect(resolveRunsRoot({ ...base, env: { GAN_STUDIO_RUNS: 'runs' }, settings: { runsRoot: '/data/runs' } })).toBe('/work/runs');
    expect(resolveRunsRoot({ ...base, env: { GAN_STUDIO_RUNS: '  ' }, settings: {} })).toBe(base.defaultRoot);
  });
});
