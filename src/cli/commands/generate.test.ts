/**
 * `gan-studio generate` on a real tiny run: PNG files, a grid, an MP4
 * interpolation, and exit code 2 with a clear message for what cannot work.
 */
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { resolveFfmpeg } from '../../main/export/ffmpeg';
import { decodeFrames, makeFixtureRun } from '../../main/export/test-fixtures';
import { trainTinyRun } from '../../main/generate/test-support';
import { EXIT } from '../exit-codes';
import { main } from '../main';

let root: string;
let runDir: string;
const errors = vi.spyOn(console, 'error').mockImplementation(() => undefined);
const logs = vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
afterEach(() => {
  errors.mockClear();
  logs.mockClear();
});

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'cli-generate-'));
  runDir = join(root, 'run');
  await trainTinyRun(runDir, { epochs: 2 });
}, 120_000);

afterAll(() => rm(root, { recursive: true, force: true }));

const generate = (...args: string[]) => main(['generate', runDir, '--backend', 'cpu', ...args]);
const stderr = () => errors.mock.calls.map((call) => call.join(' ')).join('\n');

describe('gan-studio generate', () => {
  it('writes N PNG files, or one grid, from the newest or a chosen epoch', async () => {
    const dir = join(root, 'samples');
    expect(await generate('--n', '3', '--seed', '9', '--out', dir)).toBe(EXIT.ok);
    expect((await readdir(dir)).sort()).toEqual(['seed-9-000.png', 'seed-9-001.png', 'seed-9-002.png']);
    const grid = join(root, 'grid.png');
    expect(await generate('--n', '4', '--grid', '--epoch', '1', '--out', grid)).toBe(EXIT.ok);
    expect(await sharp(grid).metadata()).toMatchObject({ width: 34, height: 34 });
  });

  it('writes an interpolation as MP4 (forward and back)', async () => {
    const out = join(root, 'walk.mp4');
    expect(await generate('--interpolate', '--from', '2', '--to', '5', '--frames', '4', '--format', 'mp4', '--out', out)).toBe(EXIT.ok);
    expect(decodeFrames(resolveFfmpeg().path, out).frames).toHaveLength(6);
  }, 60_000);

  it('exits 2 with a clear message for a bad epoch, a run without checkpoints and bad flags', async () => {
    expect(await generate('--epoch', '7', '--out', join(root, 'x'))).toBe(EXIT.usage);
    expect(stderr()).toMatch(/no checkpoint for epoch 7\. It has epoch 1, epoch 2/);
    errors.mockClear();

    const fresh = await makeFixtureRun(root, { id: 'fresh', epochs: 1 });
    expect(await main(['generate', fresh, '--backend', 'cpu', '--out', join(root, 'y')])).toBe(EXIT.usage);
    expect(stderr()).toMatch(/has no saved checkpoint yet/);
    errors.mockClear();

    const cases: [string[], RegExp][] = [
      [['--n', '3'], /Expected --out DIR/],
      [['--frames', '5', '--out', 'z'], /--frames applies to an interpolation: add --interpolate/],
      [['--interpolate', '--from', '1', '--to', '1', '--out', 'z.gif'], /two different samples/],
      [['--interpolate', '--format', 'avi', '--out', 'z.avi'], /Expected --format png \| gif \| mp4/],
      [['--n', '0', '--out', 'z'], /--n to be a whole number from 1 to 256, got "0"/],
      [['--seed=-1', '--out', 'z'], /--seed to be a whole number from 0 to 4294967295, got "-1"/],
      [['--shiny', '--out', 'z'], /Unknown option '--shiny'/],
    ];
    for (const [args, message] of cases) {
      expect(await generate(...args)).toBe(EXIT.usage);
      expect(stderr()).toMatch(message);
      errors.mockClear();
    }
    expect(await main(['generate', join(root, 'missing'), '--out', 'z'])).toBe(EXIT.usage);
    expect(stderr()).toMatch(/No run folder .*missing/);
  });
});
