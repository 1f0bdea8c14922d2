/** runExport: one validated entry point; bad requests are rejected before any file is touched. */
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ExportInputError } from './errors';
import { runExport } from './request';
import { makeFixtureRun } from './test-fixtures';

let root: string;
let runDir: string;

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'export-request-'));
  runDir = await makeFixtureRun(root, { id: 'req', epochs: 2 });
});

afterAll(() => rm(root, { recursive: true, force: true }));

describe('runExport', () => {
  it('rejects malformed requests with the field that is wrong', async () => {
    const out = join(root, 'bad.gif');
    await expect(runExport({ format: 'gif', runDirs: [], out })).rejects.toThrow(ExportInputError);
    await expect(runExport({ format: 'gif', runDirs: [runDir], out, scale: 0 })).rejects.toThrow(/scale/);
    await expect(runExport({ format: 'tiff', runDir, out } as never)).rejects.toThrow(/format/);
    expect(existsSync(out)).toBe(false);
  });

  it('dispatches each format to its exporter', async () => {
    const png = await runExport({ format: 'png', runDir, out: join(root, 'g.png'), scale: 2 });
    expect(png.summary).toMatch(/epoch 2, 140×140/);
    const gif = await runExport({ format: 'gif', runDirs: [runDir, runDir], out: join(root, 'self.gif'), scale: 1 });
    expect(gif.summary).toMatch(/2 frames/);
    const csv = await runExport({ format: 'csv', runDir, out: join(root, 'csv') });
    expect(csv.paths.map((p) => basename(p))).toEqual(['steps.csv', 'epochs.csv']);
  });
});
