/**
 * `serve`: the studio in a browser. One HTTP server gives the built
 * renderer, run files under /files/…, dataset uploads at /api/upload, and
 * the StudioApi over a WebSocket at /api/ws — all behind the token guard.
 * Trainers are Node child processes (the launcher the caller passes).
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { pipeline } from 'node:stream/promises';
import { join } from 'node:path';
import { WebSocketServer } from 'ws';
import type { BackendReport } from '../../shared/backends';
import type { DoctorReport } from '../../shared/doctor';
import { StudioService } from '../studio-service';
import { contentSecurityPolicy, runFileContentSecurityPolicy } from '../studio-service/csp';
import { PREVIEW_FILE } from '../studio-service/datasets';
import { AccessDeniedError, NotFoundError, StudioError, toErrorPayload } from '../studio-service/errors';
import { probeBackendInChild } from '../studio-service/probe';
import { contentTypeFor, openForServing, resolveInsideRoot } from '../studio-service/safe-files';
import type { TrainerLauncher } from '../training/trainer-connection';
import { createGuard, newToken } from './auth';
import { serveSocket } from './socket';
import { UploadError, UploadStore } from './upload';

export interface ServerOptions {
  /** 0 picks a free port. */
  port: number;
  /** Address to bind; loopback (127.0.0.1) unless the user asks otherwise. */
  host?: string;
  runsRoot: string;
  /** Dataset cache; default <runsRoot>/../datasets. */
  datasetsRoot?: string;
  /** Where uploads land; default <datasetsRoot>/../uploads. */
  uploadsRoot?: string;
  /** Fixed token (tests, scripted setups); default a random one. */
  token?: string;
  /** The built renderer (out/renderer). */
  rendererDir: string;
  launcher: TrainerLauncher;
  probeBackend?: () => Promise<BackendReport>;
  /** The doctor's report; default a Node child process. */
  diagnoseBackends?: () => Promise<DoctorReport>;
  maxUploadBytes?: number;
  /** Trainers at once (more runs wait as queued); default one per GPU, else one. */
  maxConcurrentRuns?: number;
  /** Cap of the uploads folder (uploads waiting for their import); default twice maxUploadBytes. */
  maxUploadsBytes?: number;
}

export interface StudioServer {
  /** The ready URL, token included (print it). */
  url: string;
  port: number;
  token: string;
  service: StudioService;
  /** Stop trainers, close sockets and the listener. */
  close(): Promise<void>;
}

/** Run-file URLs the page loads (the cookie authorises them). */
export const serverRunFileUrl = (runId: string, rel: string): string =>
  `/files/run/${encodeURIComponent(runId)}/${rel.split('/').map(encodeURIComponent).join('/')}`;
export const serverPreviewUrl = (datasetId: string): string => `/files/dataset/${encodeURIComponent(datasetId)}/${PREVIEW_FILE}`;

const BASE_HEADERS = { 'X-Content-Type-Options': 'nosniff', 'Referrer-Policy': 'no-referrer', 'X-Frame-Options': 'DENY' };

/** Start listening; resolves once the port is bound. */
export async function startServer(options: ServerOptions): Promise<StudioServer> {
  const host = options.host ?? '127.0.0.1';
  const token = options.token ?? newToken();
  const datasetsRoot = options.datasetsRoot ?? join(options.runsRoot, '..', 'datasets');
  const uploadsRoot = options.uploadsRoot ?? join(datasetsRoot, '..', 'uploads');
  const maxUploadBytes = options.maxUploadBytes ?? 2 * 2 ** 30;
  const uploads = new UploadStore(uploadsRoot, { maxUploadBytes, maxTotalBytes: options.maxUploadsBytes ?? 2 * maxUploadBytes });
  // Uploads of a serve that was killed mid-import would otherwise stay forever.
  await uploads.removeStale();
  const service = new StudioService({
    runsRoot: options.runsRoot,
    datasetsRoot,
    launcher: options.launcher,
    shell: 'browser',
    urlForRunFile: serverRunFileUrl,
    urlForDatasetPreview: serverPreviewUrl,
    probeBackend: options.probeBackend ?? probeBackendInChild,
    ...(options.diagnoseBackends ? { diagnoseBackends: options.diagnoseBackends } : {}),
    onImportSettled: (source) => uploads.release(source),
    explainImportFailure: (source) => uploads.explainMissing(source),
    ...(options.maxConcurrentRuns ? { maxConcurrentRuns: options.maxConcurrentRuns } : {}),
  });
  // Listen first: the guard needs the real port (0 = pick one) for its Host check and cookie name.
  const http = createServer();
  await new Promise<void>((resolve, reject) => {
    http.once('error', reject);
    http.listen(options.port, host, () => resolve());
  });
  const port = (http.address() as AddressInfo).port;
  const guard = createGuard({ token, port, bindHost: host });
  http.on('request', (request, response) => {
    handle(request, response).catch((error: unknown) => sendError(response, 500, toErrorPayload(error).message));
  });
  const wss = new WebSocketServer({ noServer: true, maxPayload: 1 << 20 });

  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const auth = guard.check(request);
    if (!auth.ok) return sendError(response, auth.status, auth.reason);
    const url = new URL(request.url ?? '/', 'http://placeholder');
    const path = url.pathname;
    if (path === '/api/upload') {
      const originAuth = guard.checkWithOrigin(request);
      if (!originAuth.ok) return sendError(response, originAuth.status, originAuth.reason);
      if (request.method !== 'POST') return sendError(response, 405, 'Use POST to upload.');
      try {
        return sendJson(response, 200, await uploads.receive(request));
      } catch (error) {
        return sendJson(response, error instanceof UploadError ? error.status : 500, { error: toErrorPayload(error) });
      }
    }
    if (request.method !== 'GET' && request.method !== 'HEAD') return sendError(response, 405, 'Method not allowed.');
    try {
      const file = await resolveRequestFile(path);
      const headers: Record<string, string> = {};
      if (path.startsWith('/files/')) {
        // Run files (an evidence pack's index.html, SVG charts) are documents that must never run scripts.
        headers['Content-Security-Policy'] = runFileContentSecurityPolicy();
      } else if (file.endsWith('.html')) {
        headers['Content-Security-Policy'] = contentSecurityPolicy({ connect: [`ws://${request.headers.host}`] });
        headers['Cache-Control'] = 'no-store';
        if (auth.viaQuery) headers['Set-Cookie'] = guard.cookie();
      }
      await sendFile(request, response, file, headers, path.startsWith('/files/run/') ? path.split('/').slice(4).join('/') : path);
    } catch (error) {
      if (error instanceof AccessDeniedError) return sendError(response, 403, error.message);
      if (error instanceof NotFoundError) return sendError(response, 404, error.message);
      if (error instanceof StudioError) return sendError(response, 500, error.message);
      throw error;
    }
  }

  async function resolveRequestFile(path: string): Promise<string> {
    let rel: string;
    try {
      rel = decodeURIComponent(path.slice(1));
    } catch {
      throw new AccessDeniedError(`Refused malformed path ${path}`);
    }
    if (rel.startsWith('files/run/')) return resolveInsideRoot(options.runsRoot, rel.slice('files/run/'.length));
    if (rel.startsWith('files/dataset/')) {
      const parts = rel.slice('files/dataset/'.length).split('/');
      if (parts.length !== 2 || parts[1] !== PREVIEW_FILE) throw new NotFoundError(`No file ${path}`);
      return resolveInsideRoot(datasetsRoot, parts.join('/'));
    }
    try {
      return await resolveInsideRoot(options.rendererDir, rel === '' ? 'index.html' : rel);
    } catch (error) {
      if (rel === '' && error instanceof NotFoundError) {
        throw new NotFoundError(`The studio UI is not built (no ${join(options.rendererDir, 'index.html')}). Run \`npm run build\`, then start serve again.`);
      }
      throw error;
    }
  }

  http.on('upgrade', (request, socket, head) => {
    const path = new URL(request.url ?? '/', 'http://placeholder').pathname;
    const auth = path === '/api/ws' ? guard.checkWithOrigin(request) : ({ ok: false, status: 404, reason: 'Not found' } as const);
    if (!auth.ok) {
      socket.end(`HTTP/1.1 ${auth.status} ${auth.status === 401 ? 'Unauthorized' : auth.status === 403 ? 'Forbidden' : 'Not Found'}\r\nConnection: close\r\nContent-Type: text/plain\r\n\r\n${auth.reason}\n`);
      return;
    }
    wss.handleUpgrade(request, socket, head, (ws) => serveSocket(ws, service));
  });

  const shownHost = host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host.includes(':') ? `[${host}]` : host;
  return {
    url: `http://${shownHost}:${port}/?token=${token}`,
    port,
    token,
    service,
    async close() {
      await service.shutdown();
      for (const client of wss.clients) client.terminate();
      wss.close();
      http.closeAllConnections();
      await new Promise<void>((resolve) => http.close(() => resolve()));
    },
  };
}

function sendError(response: ServerResponse, status: number, message: string): void {
  if (response.headersSent) return void response.destroy();
  response.writeHead(status, { ...BASE_HEADERS, 'Content-Type': 'text/plain; charset=utf-8', 'Cache-Control': 'no-store' });
  response.end(message + '\n');
}

function sendJson(response: ServerResponse, status: number, body: unknown): void {
  response.writeHead(status, { ...BASE_HEADERS, 'Content-Type': 'application/json; charset=utf-8', 'Cache-Control': 'no-store' });
  response.end(JSON.stringify(body));
}

/**
 * Opened before the headers go out, so an unreadable file is an error response that names it
 * (`shownAs`). Streamed with pipeline: when the client goes (an aborted download, a closed tab)
 * the read stream is destroyed and the file closed at once, not left open until garbage collection.
 */
async function sendFile(request: IncomingMessage, response: ServerResponse, file: string, headers: Record<string, string>, shownAs: string): Promise<void> {
  const { handle, size } = await openForServing(file, decodeURIComponent(shownAs));
  response.writeHead(200, { 'Cache-Control': 'no-cache', ...BASE_HEADERS, 'Content-Type': contentTypeFor(file), 'Content-Length': String(size), ...headers });
  if (request.method === 'HEAD') return void (await handle.close(), response.end());
  // A read error or a client gone mid-file ends the response; both streams are destroyed either way.
  pipeline(handle.createReadStream(), response).catch(() => response.destroy());
}
