import { afterEach, describe, expect, it } from 'vitest';
import { WebSocket, WebSocketServer } from 'ws';
import type { ClientMessage, ServerMessage } from '../../../shared/wire';
import { StudioError } from './studio-error';
import { connectWebSocketApi, type ConnectionState, type SocketLike, type WsStudioApi } from './ws-client';

const factory = (url: string): SocketLike => new WebSocket(url) as unknown as SocketLike;

/** A real WebSocket server that answers calls the way `serve` does. */
async function startServer(answer: (call: ClientMessage) => ServerMessage): Promise<{ server: WebSocketServer; url: string; calls: ClientMessage[] }> {
  const server = new WebSocketServer({ host: '127.0.0.1', port: 0 });
  await new Promise((resolve) => server.once('listening', resolve));
  const calls: ClientMessage[] = [];
  server.on('connection', (socket) => {
    socket.on('message', (data) => {
      const call = JSON.parse(String(data)) as ClientMessage;
      calls.push(call);
      socket.send(JSON.stringify(answer(call)));
    });
  });
  const { port } = server.address() as { port: number };
  return { server, url: `ws://127.0.0.1:${port}/api/ws?token=t`, calls };
}

const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const cleanup of cleanups.splice(0)) cleanup();
});

function connect(url: string): WsStudioApi {
  const api = connectWebSocketApi(url, factory);
  cleanups.push(() => api.close());
  return api;
}

describe('connectWebSocketApi', () => {
  it('sends numbered calls, drops trailing undefined arguments and resolves with the value', async () => {
    const { server, url, calls } = await startServer((call) => ({ type: 'result', id: call.id, ok: true, value: { echoed: call.args } }));
    cleanups.push(() => server.close());
    const api = connect(url);
    const [a, b] = await Promise.all([api.importDataset('/data/x.zip', undefined), api.getRun('run-1')]);
    expect(a).toEqual({ echoed: ['/data/x.zip'] });
    expect(b).toEqual({ echoed: ['run-1'] });
    expect(calls.map((c) => c.method).sort()).toEqual(['getRun', 'importDataset']);
    expect(new Set(calls.map((c) => c.id)).size).toBe(2);
  });

  it('rejects with a StudioError carrying the message and hint', async () => {
    const { server, url } = await startServer((call) => ({
      type: 'result',
      id: call.id,
      ok: false,
      error: { name: 'DatasetError', message: 'expected a folder, got nothing', hint: 'pick another path' },
    }));
    cleanups.push(() => server.close());
    const error = await connect(url).importDataset('/nope').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StudioError);
    expect(error).toMatchObject({ name: 'DatasetError', message: 'expected a folder, got nothing', hint: 'pick another path' });
  });

  it('delivers events to subscribers until they unsubscribe', async () => {
    const { server, url } = await startServer((call) => ({ type: 'result', id: call.id, ok: true, value: null }));
    cleanups.push(() => server.close());
    const api = connect(url);
    const seen: string[] = [];
    const off = api.onEvent((event) => seen.push(event.type));
    await api.listRuns();
    for (const socket of server.clients) socket.send(JSON.stringify({ type: 'event', event: { type: 'run-deleted', runId: 'a' } }));
    await expect.poll(() => seen).toEqual(['run-deleted']);
    off();
    for (const socket of server.clients) socket.send(JSON.stringify({ type: 'event', event: { type: 'run-deleted', runId: 'b' } }));
    await api.listRuns();
    expect(seen).toEqual(['run-deleted']);
  });

  it('rejects calls in flight when the socket drops, then reconnects', async () => {
    let silent = true;
    const { server, url } = await startServer((call) =>
      silent ? ({ type: 'event', event: { type: 'run-deleted', runId: 'x' } } as ServerMessage) : { type: 'result', id: call.id, ok: true, value: 42 },
    );
    cleanups.push(() => server.close());
    const api = connect(url);
    const states: ConnectionState[] = [];
    api.onConnection((s) => states.push(s));
    const inFlight = api.listRuns().catch((e: unknown) => e);
    await expect.poll(() => server.clients.size).toBe(1);
    await expect.poll(() => states.includes('open')).toBe(true);
    for (const socket of server.clients) socket.terminate();
    expect(await inFlight).toMatchObject({ name: 'ConnectionError' });
    silent = false;
    expect(await api.listRuns()).toBe(42);
    expect(states).toContain('closed');
  });

  it('stops retrying and says why when the server refuses the token (it restarted with a new one)', async () => {
    let served = 0;
    const { server, url } = await startServer((call) => ({ type: 'result', id: call.id, ok: true, value: 1 }));
    server.on('connection', () => served++);
    let refused = false;
    let attempts = 0;
    const api = connectWebSocketApi(url, (u) => (attempts++, factory(u)), () => Promise.resolve(refused));
    cleanups.push(() => api.close());
    const states: ConnectionState[] = [];
    api.onConnection((s) => states.push(s));
    expect(await api.listRuns()).toBe(1);

    // The restarted server: up, but every upgrade with the old token fails.
    refused = true;
    server.close();
    for (const socket of server.clients) socket.terminate();
    await expect.poll(() => states.at(-1)).toBe('refused');
    const error = await api.listRuns().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StudioError);
    expect(error).toMatchObject({ name: 'AuthError', message: expect.stringContaining('restarted with a new token') });
    const tried = attempts;
    await new Promise((done) => setTimeout(done, 1200));
    expect(attempts).toBe(tried);
    expect(served).toBe(1);
  });

  it('keeps retrying while the server is merely unreachable', async () => {
    let attempts = 0;
    // Node's ws throws an 'error' nobody listens to; a browser's WebSocket just closes.
    const quiet = (u: string): SocketLike => new WebSocket(u).on('error', () => undefined) as unknown as SocketLike;
    const api = connectWebSocketApi('ws://127.0.0.1:9/api/ws?token=t', (u) => (attempts++, quiet(u)), () => Promise.reject(new Error('down')));
    cleanups.push(() => api.close());
    await expect.poll(() => attempts, { timeout: 5000 }).toBeGreaterThanOrEqual(3);
  });
});
