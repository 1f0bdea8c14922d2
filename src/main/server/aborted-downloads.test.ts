/**
 * `serve` closes a run file as soon as the client that downloads it goes
 * (issue 17: 100 aborted downloads left their files open until garbage
 * collection, with 87 "Closing file descriptor … on garbage collection"
 * warnings). Real HTTP on 127.0.0.1; the open descriptors are counted in
 * /proc/self/fd, where the server (in this process) holds them. The desktop
 * app's studio:// route (fileResponse) closes a body its reader cancels too.
 */
import { readdirSync, readlinkSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { get } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolveTrainingConfig } from '../../shared/config';
import { createRunDir } from '../runs';
import { FakeTrainer } from '../studio-service/fake-trainer';
import { fileResponse } from '../studio-service/safe-files';
import { startServer, type StudioServer } from './index';

/** Larger than the socket buffers, so a download is still streaming when the client aborts it. */
const SIZE = 16 * 2 ** 20;

let root: string;
let server: StudioServer;
let file: string;
let url: string;

/** Descriptors this process holds open on `path`. */
function openDescriptors(path: string): number {
  return readdirSync('/proc/self/fd').filter((fd) => {
    try {
      return readlinkSync(`/proc/self/fd/${fd}`) === path;
    } catch {
      return false; // closed while listing
    }
  }).length;
}

/** Descriptors still open on `path` once they had up to 5 s to close (the server closes them asynchronously). */
async function settledDescriptors(path: string): Promise<number> {
  const started = Date.now();
  while (openDescriptors(path) > 0 && Date.now() - started < 5000) await new Promise((resolve) => setTimeout(resolve, 50));
  return openDescriptors(path);
}

/** Start a download and abort it after its first chunk of body. */
function abortAfterFirstChunk(): Promise<void> {
  return new Promise((resolve, reject) => {
    const request = get(url, (response) => {
      response.once('data', () => {
        request.destroy();
        resolve();
      });
    });
    request.on('error', (error: NodeJS.ErrnoException) => (error.code === 'ECONNRESET' ? undefined : reject(error)));
  });
}

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'gan-serve-abort-'));
  const rendererDir = join(root, 'renderer');
  await mkdir(rendererDir, { recursive: true });
  await writeFile(join(rendererDir, 'index.html'), '<!doctype html><title>GAN Studio</title>');
  const { dir, record } = await createRunDir(join(root, 'runs'), {
    config: resolveTrainingConfig({ preset: 'tiny', seed: 1 }),
    dataset: { id: 'd', name: 'd', fingerprint: 'f', dir: join(root, 'datasets', 'd') },
  });
  await mkdir(join(dir, 'exports'));
  file = join(dir, 'exports', 'progress.mp4');
  await writeFile(file, Buffer.alloc(SIZE, 7));
  server = await startServer({
    port: 0,
    runsRoot: join(root, 'runs'),
    rendererDir,
    launcher: () => new FakeTrainer(),
    probeBackend: async () => ({ name: 'cpu', device: 'CPU (test)', skipped: [] }),
  });
  url = `http://127.0.0.1:${server.port}/files/run/${record.id}/exports/progress.mp4?token=${server.token}`;
});
afterAll(async () => {
  await server?.close();
  await rm(root, { recursive: true, force: true });
});

describe('a download the client aborts', () => {
  it('closes its file when the client goes, without waiting for garbage collection', async () => {
    for (let i = 0; i < 20; i++) await abortAfterFirstChunk();
    expect(await settledDescriptors(file)).toBe(0);
  });

  it('still serves a download that runs to the end, whole', async () => {
    const bytes = await new Promise<number>((resolve, reject) => {
      get(url, (response) => {
        let received = 0;
        response.on('data', (chunk: Buffer) => (received += chunk.length));
        response.on('end', () => resolve(received));
      }).on('error', reject);
    });
    expect(bytes).toBe(SIZE);
    expect(await settledDescriptors(file)).toBe(0);
  });

  it('is closed by the studio:// route too when the reader cancels the body', async () => {
    for (let i = 0; i < 5; i++) {
      const reader = (await fileResponse(file)).body!.getReader();
      await reader.read();
      await reader.cancel();
    }
    expect(await settledDescriptors(file)).toBe(0);
  });
});
