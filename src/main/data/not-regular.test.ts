/**
 * Only regular files are opened: a FIFO (which blocks its reader forever),
 * a socket or a device is refused as a source and skipped, with the reason
 * in the report, inside folders, beside IDX files and inside archives.
 */
import { execFileSync } from 'node:child_process';
import { createServer } from 'node:net';
import type { Server } from 'node:net';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { importDataset } from './index';
import { buildTar, encodeImage, idxFile, importError, put, useTempCache } from './test-support';

let root: string;
let cacheRoot: string;
useTempCache((folders) => ({ root, cacheRoot } = folders));

const servers: Server[] = [];
afterEach(() => servers.splice(0).forEach((s) => s.close()));

const fifo = (path: string): void => void execFileSync('mkfifo', [path]);

async function socket(path: string): Promise<void> {
  const server = createServer();
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(path, resolve));
}

const tile = (): Promise<Buffer> => encodeImage({ width: 4, height: 4, channels: 3, fill: [1, 2, 3] });

describe('files that are not regular files', () => {
  it('refuses a FIFO named x.npy as the source, at once', async () => {
    const path = join(root, 'x.npy');
    fifo(path);
    expect((await importError(cacheRoot, path)).message).toBe('x.npy is a named pipe (FIFO), not a regular file.');
  });

  it('skips FIFOs and sockets inside a folder and names them in the report', async () => {
    const src = join(root, 'pets');
    await put(join(src, 'a.png'), await tile());
    fifo(join(src, 'b.png'));
    await socket(join(src, 'c.png'));
    const { manifest } = await importDataset(src, {}, { cacheRoot });
    expect(manifest.count).toBe(1);
    expect(manifest.skipped).toEqual([
      { file: 'b.png', reason: 'named pipe (FIFO), not a regular file' },
      { file: 'c.png', reason: 'socket, not a regular file' },
    ]);
  });

  it('does not open a FIFO where the IDX labels or classes.json would be', async () => {
    const dir = join(root, 'digits');
    await put(join(dir, 'train-images-idx3-ubyte'), idxFile([2, 2, 2], new Uint8Array(8).fill(7)));
    fifo(join(dir, 'train-labels-idx1-ubyte'));
    fifo(join(dir, 'classes.json'));
    const { manifest } = await importDataset(join(dir, 'train-images-idx3-ubyte'), {}, { cacheRoot });
    expect(manifest).toMatchObject({ count: 2, hasLabels: false });
  });

  it('reports FIFO and device entries of a tar archive as skipped', async () => {
    const tar = buildTar([
      { name: 'set/a.png', data: await tile() },
      { name: 'set/pipe.png', type: '6' },
      { name: 'set/dev.png', type: '3' },
    ]);
    const { manifest } = await importDataset(await put(join(root, 'set.tar'), tar), {}, { cacheRoot });
    expect(manifest.count).toBe(1);
    expect(manifest.skipped).toEqual([
      { file: 'dev.png', reason: 'CharacterDevice entry, not a regular file' },
      { file: 'pipe.png', reason: 'FIFO entry, not a regular file' },
    ]);
  });
});
