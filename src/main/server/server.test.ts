/**
 * `serve` over real HTTP and WebSocket on 127.0.0.1: the token is required
 * everywhere, foreign Hosts and Origins are refused, calls round-trip with
 * events, run files are served only inside the runs root, uploads are capped.
 */
import { mkdir, mkdtemp, readdir, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import type { RunSummary } from '../../shared/api';
import { resolveTrainingConfig } from '../../shared/config';
import type { ServerMessage } from '../../shared/wire';
import { createRunDir } from '../runs';
import { FakeTrainer } from '../studio-service/fake-trainer';
import { startServer, type StudioServer } from './index';
import { BATCH_DATASET_FOLDER } from './upload';

let root: string;
let server: StudioServer;
let origin: string;
let runId: string;

interface Reply {
  status: number;
  headers: IncomingHttpHeaders;
  body: string;
}

function request(path: string, options: { method?: string; headers?: Record<string, string>; body?: Buffer } = {}): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(`${origin}${path}`, { method: options.method ?? 'GET', headers: options.headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString() }));
    });
    req.on('error', reject);
    req.end(options.body);
  });
}

const withToken = (path: string): string => `${path}${path.includes('?') ? '&' : '?'}token=${server.token}`;

/** Open a socket; resolves with it, or with the HTTP status that refused it. */
function connect(query: string, headers: Record<string, string> = { Origin: origin }): Promise<WebSocket | number> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`ws://127.0.0.1:${server.port}/api/ws${query}`, { headers });
    ws.once('open', () => resolve(ws));
    ws.once('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
    ws.once('error', reject);
  });
}

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'gan-serve-'));
  const rendererDir = join(root, 'renderer');
  const runsRoot = join(root, 'runs');
  await mkdir(join(rendererDir, 'assets'), { recursive: true });
  await writeFile(join(rendererDir, 'index.html'), '<!doctype html><title>GAN Studio</title>');
  await writeFile(join(rendererDir, 'assets', 'app.js'), 'console.log(1)');
  await writeFile(join(root, 'secret.txt'), 'TOP-SECRET-CONTENT');
  const { record, dir } = await createRunDir(runsRoot, {
    config: resolveTrainingConfig({ preset: 'tiny', epochs: 1, seed: 1 }),
    dataset: { id: 'ds', name: 'ds', fingerprint: 'f', dir: join(root, 'datasets', 'ds') },
  });
  runId = record.id;
  await writeFile(join(dir, 'samples', 'epoch-0001.png'), 'png-bytes');
  await symlink(join(root, 'secret.txt'), join(dir, 'samples', 'leak.png'));
  server = await startServer({
    port: 0,
    runsRoot,
    rendererDir,
    launcher: () => new FakeTrainer(),
    probeBackend: async () => ({ name: 'cpu', device: 'CPU (test)', skipped: [] }),
    maxUploadBytes: 1000,
  });
  origin = `http://127.0.0.1:${server.port}`;
});

afterAll(async () => {
  await server.close();
  await rm(root, { recursive: true, force: true });
});

describe('HTTP token guard', () => {
  it('prints a loopback ready URL with the token', () => {
    expect(server.url).toBe(`http://127.0.0.1:${server.port}/?token=${server.token}`);
    expect(server.token).toMatch(/^[0-9a-f]{48}$/);
  });

  it('refuses a missing token (401) and a wrong one (403) on every route', async () => {
    for (const path of ['/', '/assets/app.js', `/files/run/${runId}/samples/epoch-0001.png`, '/api/upload']) {
      expect((await request(path)).status).toBe(401);
      expect((await request(`${path}?token=nope`)).status).toBe(403);
      expect((await request(path, { headers: { Cookie: `gan-studio-token-${server.port}=nope` } })).status).toBe(403);
    }
  });

  it('serves the page with the token, sets an HttpOnly cookie and a strict CSP', async () => {
    const page = await request(withToken('/'));
    expect(page.status).toBe(200);
    expect(page.body).toContain('GAN Studio');
    expect(page.headers['set-cookie']?.[0]).toMatch(new RegExp(`^gan-studio-token-${server.port}=${server.token}; HttpOnly; SameSite=Strict`));
    expect(page.headers['content-security-policy']).toContain("script-src 'self';");
    expect(page.headers['content-security-policy']).toContain(`connect-src 'self' ws://127.0.0.1:${server.port}`);
    const cookie = page.headers['set-cookie']![0]!.split(';')[0]!;
    const asset = await request('/assets/app.js', { headers: { Cookie: cookie } });
    expect(asset.status).toBe(200);
    expect(asset.headers['content-type']).toMatch(/javascript/);
  });

  it('refuses a foreign Host even with the token (DNS rebinding)', async () => {
    expect((await request(withToken('/'), { headers: { Host: `evil.example:${server.port}` } })).status).toBe(403);
  });
});

describe('run files', () => {
  it('serves a file inside the runs root', async () => {
    const reply = await request(withToken(`/files/run/${runId}/samples/epoch-0001.png`));
    expect(reply.status).toBe(200);
    expect(reply.headers['content-type']).toBe('image/png');
    expect(reply.body).toBe('png-bytes');
    // Run files are documents when opened alone (an evidence page, an SVG): their CSP allows no scripts.
    const csp = String(reply.headers['content-security-policy']);
    expect(csp).toContain("default-src 'none'");
    expect(csp).not.toContain('script-src');
  });

  it.each([
    ['../', `/files/run/${'..'}/secret.txt`],
    ['encoded ../', `/files/run/${'%2e%2e'}/secret.txt`],
    ['deep encoded ../', `/files/run/RUN/..%2f..%2fsecret.txt`],
    ['absolute', '/files/run//etc/passwd'],
    ['symlink out', `/files/run/RUN/samples/leak.png`],
    ['dataset non-preview', '/files/dataset/ds/../../secret.txt'],
    ['renderer escape', '/..%2fsecret.txt'],
  ])('refuses %s', async (_label, path) => {
    const reply = await request(withToken(path.replace('RUN', runId)));
    expect([403, 404]).toContain(reply.status);
    expect(reply.body).not.toContain('TOP-SECRET-CONTENT');
  });
});

describe('WebSocket', () => {
  it('refuses a missing token, a wrong token, a foreign Origin and no Origin', async () => {
    expect(await connect('')).toBe(401);
    expect(await connect('?token=nope')).toBe(403);
    expect(await connect(`?token=${server.token}`, { Origin: 'http://evil.example' })).toBe(403);
    expect(await connect(`?token=${server.token}`, {})).toBe(403);
    expect(await connect(`?token=${server.token}`, { Origin: `http://localhost:${server.port}` })).toBe(403);
  });

  it('round-trips calls, returns errors as payloads and pushes events', async () => {
    const ws = (await connect(`?token=${server.token}`)) as WebSocket;
    const messages: ServerMessage[] = [];
    ws.on('message', (data) => messages.push(JSON.parse(String(data)) as ServerMessage));
    const result = async (id: number) => {
      for (let i = 0; i < 200 && !messages.some((m) => m.type === 'result' && m.id === id); i++) await new Promise((r) => setTimeout(r, 10));
      return messages.find((m) => m.type === 'result' && m.id === id);
    };
    ws.send(JSON.stringify({ type: 'call', id: 1, method: 'listRuns', args: [] }));
    const runs = await result(1);
    expect(runs).toMatchObject({ ok: true });
    const list = (runs as { value: RunSummary[] }).value;
    expect(list.map((r) => r.id)).toEqual([runId]);
    expect(list[0]!.latestSampleUrl).toBe(`/files/run/${runId}/samples/epoch-0001.png`);

    ws.send(JSON.stringify({ type: 'call', id: 2, method: 'getRun', args: ['../x'] }));
    expect(await result(2)).toMatchObject({ ok: false, error: { name: 'InvalidArgumentError' } });
    ws.send(JSON.stringify({ type: 'call', id: 3, method: '__proto__', args: [] }));
    expect(await result(3)).toMatchObject({ ok: false, error: { name: 'InvalidArgumentError' } });

    ws.send(JSON.stringify({ type: 'call', id: 4, method: 'renameRun', args: [runId, 'over the wire'] }));
    expect(await result(4)).toMatchObject({ ok: true, value: { name: 'over the wire' } });
    const event = messages.find((m): m is Extract<ServerMessage, { type: 'event' }> => m.type === 'event');
    expect(event?.event).toMatchObject({ type: 'run-updated', run: { id: runId, name: 'over the wire' } });

    const closed = new Promise<number>((resolve) => ws.once('close', (code) => resolve(code)));
    ws.send('not json');
    expect(await closed).toBe(1008);
  });
});

describe('uploads', () => {
  const upload = (name: string, body: Buffer, headers: Record<string, string> = { Origin: origin }) =>
    request(withToken(`/api/upload?name=${encodeURIComponent(name)}`), { method: 'POST', body, headers });

  it('streams an upload into its own folder and answers its path', async () => {
    const reply = await upload('../../my data.zip', Buffer.from('zip-bytes'));
    expect(reply.status).toBe(200);
    const { path } = JSON.parse(reply.body) as { path: string };
    expect(path.startsWith(join(root, 'uploads'))).toBe(true);
    expect(path.endsWith('/my data.zip')).toBe(true); // the path's own folders dropped, the name kept
    expect(await readFile(path, 'utf8')).toBe('zip-bytes');
  });

  it('puts a batch of uploads (loose images) in one folder, refusing a clash of names and a malformed batch', async () => {
    const batch = '0123456789abcdef';
    const send = (name: string, body: string, id = batch) =>
      request(withToken(`/api/upload?batch=${id}&name=${encodeURIComponent(name)}`), { method: 'POST', body: Buffer.from(body), headers: { Origin: origin } });
    const a = JSON.parse((await send('a.png', 'A')).body) as { path: string; folder: string };
    const b = JSON.parse((await send('b.png', 'B')).body) as { path: string; folder: string };
    // In a sub-folder the dataset is named after ("dropped images"), not the batch's hex digits.
    expect(a.folder).toBe(join(root, 'uploads', `${process.pid}-${batch}`, BATCH_DATASET_FOLDER));
    expect(b.folder).toBe(a.folder);
    expect((await readdir(a.folder)).sort()).toEqual(['a.png', 'b.png']);
    const clash = await send('a.png', 'again');
    expect(clash.status).toBe(400);
    expect(JSON.parse(clash.body).error.message).toMatch(/Two files are named a\.png/);
    expect(await readFile(a.path, 'utf8')).toBe('A');
    expect((await send('c.png', 'C', '../../etc')).status).toBe(400);
  });

  it('refuses an upload over the cap (413), leaving nothing behind, and one from a foreign origin', async () => {
    const before = await readdir(join(root, 'uploads'));
    const big = await upload('big.zip', Buffer.alloc(5000));
    expect(big.status).toBe(413);
    expect(JSON.parse(big.body).error.message).toMatch(/larger than/);
    expect(await readdir(join(root, 'uploads'))).toEqual(before);
    expect((await upload('x.zip', Buffer.from('x'), { Origin: 'http://evil.example' })).status).toBe(403);
  });
});
