/**
 * `gan-studio export` and `gan-studio evidence` on fixture runs: files
 * written where asked, exit codes and messages for bad input.
 */
import { existsSync } from 'node:fs';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { makeFixtureRun } from '../../main/export/test-fixtures';
import { EXIT } from '../exit-codes';
import { run as evidence } from './evidence';
import { run as exportRun } from './export';

let root: string;
let runA: string;
let runB: string;

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'cli-export-'));
  runA = await makeFixtureRun(root, { id: 'a', epochs: 2 });
  runB = await makeFixtureRun(root, { id: 'b', epochs: 3 });
});

afterAll(() => rm(root, { recursive: true, force: true }));

/** Run a command, capturing what it prints to stderr. */
async function capture(command: Promise<number>): Promise<{ code: number; stderr: string }> {
  return { code: await command, stderr: errors.mock.calls.map((call) => call.join(' ')).join('\n') };
}
const errors = vi.spyOn(console, 'error').mockImplementation(() => undefined);
afterEach(() => errors.mockClear());

describe('gan-studio export', () => {
  it('writes a GIF into the run exports folder by default, and a comparison where asked', async () => {
    expect(await exportRun([runA, '--fps', '2'])).toBe(EXIT.ok);
    expect(await readdir(join(runA, 'exports'))).toEqual(['progress.gif']);
    const out = join(root, 'cmp.mp4');
    expect(await exportRun([runA, '--compare', runB, '--format', 'mp4', '--out', out])).toBe(EXIT.ok);
    expect(existsSync(out)).toBe(true);
  });

  it('adds the format’s extension to an --out without one; refuses another format’s before ffmpeg runs', async () => {
    // ffmpeg alone said "Unable to find a suitable output format" and hinted at encoders.
    const named = await capture(exportRun([runA, '--format', 'gif', '--out', join(root, 'progress-a')]));
    expect(named.code).toBe(EXIT.ok);
    expect(existsSync(join(root, 'progress-a.gif'))).toBe(true);
    const clash = await capture(exportRun([runA, '--format', 'gif', '--out', join(root, 'clash.mp4')]));
    expect(clash.code).toBe(EXIT.usage);
    expect(clash.stderr).toContain(`The output ${join(root, 'clash.mp4')} ends in .mp4, but the format is gif (a .gif file).`);
    expect(clash.stderr).toContain('Hint: Name it ….gif, or export with --format mp4.');
    expect(clash.stderr).not.toMatch(/encoder|suitable output format/);
    expect(existsSync(join(root, 'clash.mp4'))).toBe(false);
  });

  it('says so when an animation has one frame (a one-epoch run shows no progress)', async () => {
    const single = await capture(exportRun([runB, '--from-epoch', '3', '--out', join(root, 'one.gif')]));
    expect(single.code).toBe(EXIT.ok);
    expect(single.stderr).toContain('note: the animation has one frame');
  });

  it('writes CSV and chart folders', async () => {
    expect(await exportRun([runB, '--format', 'csv', '--out', join(root, 'csv')])).toBe(EXIT.ok);
    expect((await readdir(join(root, 'csv'))).sort()).toEqual(['epochs.csv', 'steps.csv']);
  });

  it('takes a run id in the runs folder, as score and generate do', async () => {
    vi.stubEnv('GAN_STUDIO_RUNS', root);
    try {
      const out = join(root, 'by-id.gif');
      expect(await exportRun(['a', '--compare', 'b', '--out', out])).toBe(EXIT.ok);
      expect(existsSync(out)).toBe(true);
    } finally {
      vi.unstubAllEnvs();
    }
  });

  it('exits 2 with a clear message for bad arguments and non-run folders', async () => {
    const bad = await capture(exportRun([runA, '--format', 'avi']));
    expect(bad.code).toBe(EXIT.usage);
    expect(bad.stderr).toMatch(/Expected --format gif \| mp4/);
    expect((await capture(exportRun([runA, runB]))).stderr).toMatch(/Use --compare/);
    expect((await capture(exportRun([runA, '--fps', 'fast']))).code).toBe(EXIT.usage);
    const missing = await capture(exportRun([join(root, 'nope')]));
    expect(missing.code).toBe(EXIT.usage);
    expect(missing.stderr).toMatch(/run\.json/);
    expect((await capture(exportRun([runA, '--compare', runB, '--format', 'csv']))).code).toBe(EXIT.usage);
  });

  it('exits 3 when FFMPEG_PATH names a missing ffmpeg', async () => {
    vi.stubEnv('FFMPEG_PATH', join(root, 'no-ffmpeg'));
    try {
      const result = await capture(exportRun([runA, '--out', join(root, 'x.gif')]));
      expect(result.code).toBe(EXIT.unavailable);
      expect(result.stderr).toMatch(/FFMPEG_PATH is set but unusable/);
      expect(existsSync(join(root, 'x.gif'))).toBe(false);
    } finally {
      vi.unstubAllEnvs();
    }
  });
});

describe('gan-studio evidence', () => {
  it('writes the pack, and requires --out', async () => {
    expect(await evidence([runB, '--baseline', runA, '--out', join(root, 'pack')])).toBe(EXIT.ok);
    expect(await readdir(join(root, 'pack'))).toContain('index.html');
    vi.stubEnv('GAN_STUDIO_RUNS', root);
    try {
      expect(await evidence(['b', '--baseline', 'a', '--out', join(root, 'pack-by-id')])).toBe(EXIT.ok);
      expect(await readdir(join(root, 'pack-by-id'))).toContain('index.html');
    } finally {
      vi.unstubAllEnvs();
    }
    const noOut = await capture(evidence([runB]));
    expect(noOut.code).toBe(EXIT.usage);
    expect(noOut.stderr).toMatch(/Expected --out DIR/);
  });
});
