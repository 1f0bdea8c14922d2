/**
 * Uploads over a real `serve` on 127.0.0.1: each upload is removed once its
 * import ends (imported or failed), orphans of a dead server are removed at
 * start, and the folder as a whole is capped with a clear message.
 */
import { mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { request as httpRequest } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DatasetInfo } from '../../shared/api';
import { npyFile } from '../data/test-support';
import { FakeTrainer } from '../studio-service/fake-trainer';
import { startServer, type StudioServer } from './index';
import { safeUploadName } from './upload';
import { LoadClient } from './load-client';

let root: string;
let uploadsRoot: string;
let server: StudioServer;
let client: LoadClient;

function upload(name: string, body: Buffer): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const origin = `http://127.0.0.1:${server.port}`;
    const url = `${origin}/api/upload?name=${encodeURIComponent(name)}&token=${server.token}`;
    const req = httpRequest(url, { method: 'POST', headers: { Origin: origin } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString() }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

const LIVE = `${process.ppid}-alive`;

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'gan-uploads-'));
  uploadsRoot = join(root, 'uploads');
  const rendererDir = join(root, 'renderer');
  await mkdir(rendererDir, { recursive: true });
  await writeFile(join(rendererDir, 'index.html'), '<!doctype html><title>GAN Studio</title>');
  // Left behind by earlier servers: one still running (this test's parent process), one dead, one of the old naming.
  for (const name of [LIVE, '2147483646-dead', 'old-format']) {
    await mkdir(join(uploadsRoot, name), { recursive: true });
    await writeFile(join(uploadsRoot, name, 'x.zip'), 'left over');
  }
  server = await startServer({
    port: 0,
    runsRoot: join(root, 'runs'),
    uploadsRoot,
    rendererDir,
    launcher: () => new FakeTrainer(),
    probeBackend: async () => ({ name: 'cpu', device: 'CPU (test)', skipped: [] }),
    maxUploadBytes: 4000,
    maxUploadsBytes: 6000,
  });
  client = await LoadClient.connect(server.port, server.token);
});

afterAll(async () => {
  client?.close();
  await server?.close();
  await rm(root, { recursive: true, force: true });
});

describe('uploads folder', () => {
  it('removes the uploads of dead servers at start and keeps a live one', async () => {
    expect(await readdir(uploadsRoot)).toEqual([LIVE]);
  });

  it('removes an upload once it is imported', async () => {
    const images = new Uint8Array(4 * 8 * 8).map((_, i) => (i * 37) % 256);
    const sent = await upload('four.npy', npyFile('|u1', [4, 8, 8], images));
    expect(sent.status).toBe(200);
    const { path } = JSON.parse(sent.body) as { path: string };
    expect(await readdir(uploadsRoot)).toHaveLength(2);
    const { value } = await client.call<DatasetInfo>('importDataset', path);
    expect(value.manifest.count).toBe(4);
    expect(await readdir(uploadsRoot)).toEqual([LIVE]);
    // Importing it again (the New run view's re-import at another size) says why it is gone.
    await expect(client.call('importDataset', path, { size: 16 })).rejects.toThrow(/: The uploaded file four\.npy was removed once its import finished/);
  });

  it('keeps a file name in any script, with spaces, so the dataset is named as the CLI names it', async () => {
    const images = new Uint8Array(4 * 8 * 8).map((_, i) => (i * 11) % 256);
    const sent = await upload('my data ünï 猫.npy', npyFile('|u1', [4, 8, 8], images));
    const { path } = JSON.parse(sent.body) as { path: string };
    expect(path.endsWith('/my data ünï 猫.npy')).toBe(true);
    const { value } = await client.call<DatasetInfo>('importDataset', path);
    expect(value.manifest.name).toBe('my data ünï 猫');
  });

  it('names an upload with nothing path-like, hidden or over 255 bytes', () => {
    expect(safeUploadName('../../etc/passwd')).toBe('passwd');
    expect(safeUploadName('C:\\x\\..\\a b.zip')).toBe('a b.zip');
    expect(safeUploadName('.hidden.tar.gz')).toBe('hidden.tar.gz');
    expect(safeUploadName('a\u0000b$`c;*?.zip ')).toBe('a_b_c_.zip');
    expect(safeUploadName('e\u0301.zip')).toBe('é.zip');
    expect(safeUploadName('')).toBe('upload.bin');
    const long = safeUploadName(`${'ü'.repeat(300)}.tar.gz`);
    expect(Buffer.byteLength(long)).toBeLessThanOrEqual(200);
    expect(long.endsWith('ü.tar.gz')).toBe(true);
  });

  it('removes an upload whose import failed', async () => {
    const sent = await upload('broken.zip', Buffer.from('not a zip at all'));
    const { path } = JSON.parse(sent.body) as { path: string };
    expect(await readdir(uploadsRoot)).toHaveLength(2);
    await expect(client.call('importDataset', path)).rejects.toThrow();
    expect(await readdir(uploadsRoot)).toEqual([LIVE]);
  });

  it('caps the folder: an upload that would overflow it is refused with the reason, leaving nothing', async () => {
    // 9 bytes are held by the live server's upload; two 2,900-byte uploads wait for their import; a third would pass 6,000.
    expect((await upload('a.zip', Buffer.alloc(2900))).status).toBe(200);
    expect((await upload('b.zip', Buffer.alloc(2900))).status).toBe(200);
    const refused = await upload('c.zip', Buffer.alloc(2900));
    expect(refused.status).toBe(413);
    expect(JSON.parse(refused.body).error.message).toBe(
      `The uploads folder ${uploadsRoot} would exceed its cap of 5.9 KB: 5.7 KB of other uploads are waiting for their import.`,
    );
    expect(await readdir(uploadsRoot)).toHaveLength(3);
  });
});
