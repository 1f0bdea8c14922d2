/**
 * Decode threads give what decoding on the calling thread gives (pixels and
 * sharp's errors alike), a stopped thread fails the import rather than
 * skipping its images, and idle threads never hold a process open.
 */
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { decodeImage } from './decode';
import { decodeOnThread, DecodeThreadError, stopDecodeThreads } from './decode-threads';
import { importDataset } from './index';
import { packageRoot } from '../paths';
import { encodeImage, put, useTempCache } from './test-support';

let root: string;
let cacheRoot: string;
useTempCache((folders) => ({ root, cacheRoot } = folders));

const shape = { fit: 'cover', background: '#336699' } as const;

describe('decode threads', () => {
  it('give the pixels and the errors that decoding here gives, for bytes and for files', async () => {
    const rgba = await encodeImage({ width: 5, height: 3, channels: 4, fill: [200, 100, 50, 128] });
    const jpeg = await encodeImage({ width: 6, height: 6, channels: 3, fill: [10, 200, 30], format: 'jpeg' });
    const inputs: (Uint8Array | string)[] = [
      rgba,
      jpeg,
      await put(join(root, 'a.png'), rgba),
      await put(join(root, 'b.jpg'), jpeg),
      Uint8Array.from([1, 2, 3]),
      await put(join(root, 'c.png'), 'not a png'),
    ];
    const outcome = (decoding: Promise<unknown>): Promise<unknown> => decoding.catch((error: Error) => ({ error: error.message }));
    for (const input of inputs) {
      expect(await outcome(decodeOnThread(input, shape, 1 << 26))).toEqual(await outcome(decodeImage(input, shape, 1 << 26)));
    }
    const sized = { ...shape, size: 4 };
    expect(await decodeOnThread(rgba, sized, 1 << 26)).toEqual(await decodeImage(rgba, sized, 1 << 26));
    await expect(decodeOnThread(rgba, shape, 10)).rejects.toThrow(/pixel limit/);
  });

  it('fail the import when they stop (no image is skipped for it), and start afresh for the next', async () => {
    // Large enough that when the first image is written the next ones are still being decoded.
    const src = join(root, 'set');
    const photo = await encodeImage({ width: 1500, height: 1500, channels: 3, fill: [1, 2, 3], format: 'jpeg' });
    for (let i = 0; i < 12; i++) await put(join(src, `${i}.jpg`), photo);
    const stopped = importDataset(src, { size: 8 }, { cacheRoot, onProgress: (p) => void (p.phase === 'decode' && p.done === 1 && stopDecodeThreads()) });
    await expect(stopped).rejects.toThrow(DecodeThreadError);
    await expect(stopped).rejects.toThrow(/the decode threads were stopped/);
    const { manifest } = await importDataset(src, { size: 8 }, { cacheRoot });
    expect(manifest).toMatchObject({ count: 12, skipped: [] });
  });

  it('do not keep a process alive once their work is done', async () => {
    const script = `
      const { decodeOnThread } = await import(${JSON.stringify(join(packageRoot(), 'src/main/data/decode-threads.ts'))});
      const png = Buffer.from('89504e470d0a1a0a0000000d4948445200000001000000010802000000907753de0000000c49444154789c63f8cfc0000003010100c9fe92ef0000000049454e44ae426082', 'hex');
      const image = await decodeOnThread(png, { fit: 'cover', background: '#000000' }, 100);
      console.log(JSON.stringify([...image.data]));`;
    const started = Date.now();
    // Idle threads end after 30 s: a process they held would be killed by the timeout first.
    const { stdout } = await promisify(execFile)(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { cwd: packageRoot(), timeout: 25_000 });
    expect(JSON.parse(stdout)).toEqual([255, 0, 0]);
    expect(Date.now() - started).toBeLessThan(25_000);
  });
});
