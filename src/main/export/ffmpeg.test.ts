/**
 * ffmpeg resolution order (FFMPEG_PATH → ffmpeg-static → @ffmpeg-installer →
 * PATH) with real binaries, and running ffmpeg: failure messages, cancel.
 */
import { chmod, mkdir, mkdtemp, readdir, rm, symlink, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeFileAtomically } from './atomic-output';
import { ExportCancelledError, ExportError, FfmpegNotFoundError } from './errors';
import { resolveFfmpeg } from './ffmpeg';
import { runFfmpeg } from './ffmpeg-run';

const realRequire = createRequire(import.meta.url);
/** The binary shipped in @ffmpeg-installer/ffmpeg: always present after npm ci. */
const installerPath = (realRequire('@ffmpeg-installer/ffmpeg') as { path: string }).path;

/** A package loader where only the given packages exist. */
function packages(available: Record<string, unknown>): (name: string) => unknown {
  return (name) => {
    if (name in available) return available[name];
    throw new Error(`Cannot find module '${name}'`);
  };
}

let root: string;
let pathDir: string;

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'export-ffmpeg-'));
  // A PATH folder holding only an `ffmpeg` (a link to the real installer binary).
  pathDir = join(root, 'bin');
  await mkdir(pathDir);
  await symlink(installerPath, join(pathDir, 'ffmpeg'));
});

afterAll(() => rm(root, { recursive: true, force: true }));

describe('resolveFfmpeg', () => {
  it('prefers FFMPEG_PATH', () => {
    const linked = join(pathDir, 'ffmpeg');
    const found = resolveFfmpeg({ env: { FFMPEG_PATH: linked, PATH: '' }, loadPackage: packages({ '@ffmpeg-installer/ffmpeg': { path: installerPath } }) });
    expect(found).toMatchObject({ path: linked, source: 'FFMPEG_PATH' });
    expect(found.version).toMatch(/^ffmpeg version/);
  });

  it('rejects a FFMPEG_PATH that does not exist instead of silently using another ffmpeg', () => {
    const attempt = () => resolveFfmpeg({ env: { FFMPEG_PATH: join(root, 'missing-ffmpeg') }, loadPackage: packages({ '@ffmpeg-installer/ffmpeg': { path: installerPath } }) });
    expect(attempt).toThrow(FfmpegNotFoundError);
    expect(attempt).toThrow(/FFMPEG_PATH is set but unusable: .*missing-ffmpeg does not exist/);
  });

  it('rejects a FFMPEG_PATH that is not a working executable', async () => {
    const fake = join(root, 'not-ffmpeg');
    await writeFile(fake, 'just text');
    expect(() => resolveFfmpeg({ env: { FFMPEG_PATH: fake } })).toThrow(/not executable/);
    await chmod(fake, 0o755);
    expect(() => resolveFfmpeg({ env: { FFMPEG_PATH: fake } })).toThrow(/FFMPEG_PATH is set but unusable/);
  });

  it('uses ffmpeg-static only when the file it names exists', () => {
    const both = { '@ffmpeg-installer/ffmpeg': { path: installerPath } };
    expect(resolveFfmpeg({ env: { PATH: '' }, loadPackage: packages({ ...both, 'ffmpeg-static': join(root, 'never-downloaded') }) }).source).toBe(
      '@ffmpeg-installer/ffmpeg',
    );
    expect(resolveFfmpeg({ env: { PATH: '' }, loadPackage: packages({ ...both, 'ffmpeg-static': null }) }).source).toBe('@ffmpeg-installer/ffmpeg');
    expect(resolveFfmpeg({ env: { PATH: '' }, loadPackage: packages({ ...both, 'ffmpeg-static': join(pathDir, 'ffmpeg') }) })).toMatchObject({
      source: 'ffmpeg-static',
      path: join(pathDir, 'ffmpeg'),
    });
  });

  it('falls back to ffmpeg on PATH when no package has a binary', () => {
    const found = resolveFfmpeg({ env: { PATH: `${join(root, 'nothing-here')}:${pathDir}` }, loadPackage: packages({}) });
    expect(found).toMatchObject({ source: 'PATH', path: join(pathDir, 'ffmpeg') });
  });

  it('lists everything it tried and how to fix it when nothing works', () => {
    let error: unknown;
    try {
      resolveFfmpeg({ env: { PATH: join(root, 'nothing-here') }, loadPackage: packages({ '@ffmpeg-installer/ffmpeg': {} }) });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(FfmpegNotFoundError);
    const { message, hint } = error as FfmpegNotFoundError;
    expect(message).toContain('FFMPEG_PATH: not set');
    expect(message).toContain('ffmpeg-static: ffmpeg-static is not installed');
    expect(message).toContain('@ffmpeg-installer/ffmpeg: @ffmpeg-installer/ffmpeg has no binary');
    expect(message).toContain('PATH: no ffmpeg on PATH');
    expect(hint).toMatch(/FFMPEG_PATH/);
    expect(hint).toMatch(/apt-get install ffmpeg/);
  });

  it('finds the bundled binary with the default loader', () => {
    expect(resolveFfmpeg({ env: { PATH: '' } }).path).toBeTruthy();
  });
});

describe('runFfmpeg', () => {
  it('reports a failing ffmpeg with the end of its stderr', async () => {
    const run = runFfmpeg(['-i', join(root, 'no-such-input.png'), join(root, 'x.gif')], { ffmpegPath: installerPath });
    await expect(run).rejects.toThrow(ExportError);
    await expect(run).rejects.toThrow(/no-such-input\.png/);
  });

  it('cancelling kills ffmpeg and leaves no partial file', async () => {
    const outDir = await mkdtemp(join(root, 'cancel-'));
    const controller = new AbortController();
    let frames = 0;
    // A long synthetic video: cancelled as soon as ffmpeg reports progress.
    const run = writeFileAtomically(join(outDir, 'long.mp4'), (temp) =>
      runFfmpeg(['-f', 'lavfi', '-i', 'testsrc=size=320x240:rate=25', '-t', '600', '-c:v', 'libx264', '-preset', 'ultrafast', temp], {
        ffmpegPath: installerPath,
        signal: controller.signal,
        onFrame: (frame) => {
          frames = frame;
          if (frame > 0) controller.abort();
        },
      }),
    );
    await expect(run).rejects.toThrow(ExportCancelledError);
    expect(frames).toBeGreaterThan(0);
    expect(await readdir(outDir)).toEqual([]);
  });
});
