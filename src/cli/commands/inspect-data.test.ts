import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { encodeImage, put, tempDir } from '../../main/data/test-support';
import { run } from './inspect-data';

let root: string;
let cleanup: () => Promise<void>;
let out: string[];
let err: string[];

beforeEach(async () => {
  ({ dir: root, cleanup } = await tempDir());
  out = [];
  err = [];
  vi.spyOn(console, 'log').mockImplementation((...a: unknown[]) => void out.push(a.join(' ')));
  vi.spyOn(console, 'error').mockImplementation((...a: unknown[]) => void err.push(a.join(' ')));
});
afterEach(async () => {
  vi.restoreAllMocks();
  await cleanup();
});

describe('inspect-data', () => {
  it('prints the report of a usable folder and exits 0, then reports the cache hit', async () => {
    const src = join(root, 'pets');
    await put(join(src, 'cats', 'a.png'), await encodeImage({ width: 12, height: 12, channels: 3, fill: [9, 9, 9] }));
    await put(join(src, 'dogs', 'b.png'), await encodeImage({ width: 12, height: 12, channels: 3, fill: [9, 9, 9] }));
    await put(join(src, 'dogs', 'c.png'), 'broken');
    const cache = join(root, 'cache');
    const args = [src, '--size', '8', '--channels', '1', '--max-images', '5', '--cache', cache];
    expect(await run(args)).toBe(0);
    const report = out.join('\n');
    expect(report).toMatch(/Images:\s+2 × 8×8, 1 channel \(gray\)/);
    expect(report).toMatch(/cats\s+1\n\s+dogs\s+1/);
    expect(report).toMatch(/Skipped: 1 file\n\s+dogs\/c\.png — not a readable image/);
    expect(report).toMatch(/\(imported now\)/);
    out.length = 0;
    expect(await run(args)).toBe(0);
    expect(out.join('\n')).toMatch(/\(from the cache\)/);
  });

  it('exits 2 with the reason and a hint for unusable input and bad arguments', async () => {
    expect(await run([join(root, 'missing'), '--cache', join(root, 'cache')])).toBe(2);
    expect(err.join('\n')).toMatch(/^Error: No such file or folder: .*missing\.\nHint: /);
    err.length = 0;
    expect(await run([root, '--channels', '2'])).toBe(2);
    expect(err[0]).toBe('Error: Expected --channels 1 or 3, got "2".');
    expect(await run([root, '--bogus'])).toBe(2);
    expect(await run([root, '--size', 'big'])).toBe(2);
    err.length = 0;
    // The importer's hints speak the CLI's language here (flags), the studio's elsewhere.
    expect(await run([root, '--size', '2000', '--cache', join(root, 'cache')])).toBe(2);
    expect(err[1]).toMatch(/^Hint: --size and --mixed-size must be 4–1024/);
  });

  it('escapes control characters of file names in the report and in errors', async () => {
    const src = join(root, 'names');
    await put(join(src, 'ok.png'), await encodeImage({ width: 4, height: 4, channels: 3, fill: [1, 2, 3] }));
    await put(join(src, 'a\nInjected line: 9999 images OK.png'), 'not an image');
    await put(join(src, 'b\x1b[2K\r.png'), 'not an image');
    expect(await run([src, '--cache', join(root, 'cache')])).toBe(0);
    const report = out.join('\n');
    expect(report).not.toMatch(/^Injected line/m);
    expect(report.includes('\x1b') || report.includes('\r')).toBe(false);
    expect(report).toContain('  a\\nInjected line: 9999 images OK.png — not a readable image');
    expect(report).toContain('  b\\x1b[2K\\r.png — not a readable image');
    expect(await run([join(root, 'gone\x1b[2K\r\nHint: all is fine'), '--cache', join(root, 'cache')])).toBe(2);
    expect(err.join('\n')).toMatch(/^Error: No such file or folder: .*gone\\x1b\[2K\\r\\nHint: all is fine\.\nHint: Check the path/);
  });

  it('prints no stack trace from the real command line', async () => {
    const bin = join(process.cwd(), 'src', 'cli', 'gan-studio.js');
    const failure = await promisify(execFile)(process.execPath, [bin, 'inspect-data', join(root, 'nothing-here')]).catch((e: unknown) => e);
    expect(failure).toMatchObject({ code: 2 });
    const { stderr } = failure as { stderr: string };
    expect(stderr).toMatch(/^Error: No such file or folder/);
    expect(stderr).not.toMatch(/\n\s+at /);
  });
});
