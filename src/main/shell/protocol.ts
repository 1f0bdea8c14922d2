/**
 * The desktop app's two custom schemes. `app://studio/…` serves the built
 * renderer (so the page never runs from file://), and `studio://run/<id>/…`
 * / `studio://dataset/<id>/preview.png` serve run files and dataset previews,
 * resolving only inside the runs and datasets roots. The handlers are plain
 * fetch-style functions (Request → Response) so they are tested without
 * Electron; only the register* functions touch Electron.
 */
import { protocol } from 'electron';
import { contentSecurityPolicy, runFileContentSecurityPolicy } from '../studio-service/csp';
import { AccessDeniedError, NotFoundError, StudioError } from '../studio-service/errors';
import { PREVIEW_FILE } from '../studio-service/datasets';
import { fileResponse, resolveInsideRoot } from '../studio-service/safe-files';

export const APP_SCHEME = 'app';
export const APP_HOST = 'studio';
/** The renderer's origin under Electron; IPC accepts calls only from it (or the dev server). */
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;
export const FILES_SCHEME = 'studio';

/** The app window's CSP: studio: images allowed; a dev server origin only in development. */
export function appContentSecurityPolicy(devOrigin?: string): string {
  return contentSecurityPolicy({ fileSources: [`${FILES_SCHEME}:`], ...(devOrigin ? { devOrigin } : {}) });
}

/** studio://run/<id>/<relPath> — what the UI loads a run file from. */
export function runFileUrl(runId: string, relPath: string): string {
  return `${FILES_SCHEME}://run/${encodeURIComponent(runId)}/${relPath.split('/').map(encodeURIComponent).join('/')}`;
}

/** studio://dataset/<id>/preview.png */
export function datasetPreviewUrl(datasetId: string): string {
  return `${FILES_SCHEME}://dataset/${encodeURIComponent(datasetId)}/${PREVIEW_FILE}`;
}

type Handler = (request: Request) => Promise<Response>;

/** Handler for studio:// — run files inside the runs root, previews inside the datasets root. */
export function createStudioFileHandler(roots: { runsRoot: string; datasetsRoot: string }): Handler {
  return (request) =>
    respond(request, async (url) => {
      const rel = decodePath(url.pathname);
      if (url.hostname === 'run') {
        return fileResponse(await resolveInsideRoot(roots.runsRoot, rel), { 'Content-Security-Policy': runFileContentSecurityPolicy() }, rel);
      }
      if (url.hostname === 'dataset' && rel.split('/')[1] === PREVIEW_FILE && rel.split('/').length === 2) {
        return fileResponse(await resolveInsideRoot(roots.datasetsRoot, rel));
      }
      throw new NotFoundError(`No such studio file: ${url.href}`);
    });
}

/** Handler for app:// — the built renderer, index.html for the root, with the CSP header. */
export function createAppHandler(rendererDir: string): Handler {
  const headers = { 'Content-Security-Policy': appContentSecurityPolicy() };
  return (request) =>
    respond(request, async (url) => {
      if (url.hostname !== APP_HOST) throw new NotFoundError(`Unknown app host ${url.hostname}`);
      const rel = url.pathname === '/' ? 'index.html' : decodePath(url.pathname);
      return fileResponse(await resolveInsideRoot(rendererDir, rel), headers);
    });
}

/** Must run before app 'ready': both schemes are standard and secure (fetch, relative URLs, no mixed content). */
export function registerPrivilegedSchemes(): void {
  protocol.registerSchemesAsPrivileged([
    { scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true } },
    { scheme: FILES_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true, stream: true } },
  ]);
}

/** Install both handlers on the default session (after 'ready'). */
export function registerProtocolHandlers(options: { rendererDir: string; runsRoot: string; datasetsRoot: string }): void {
  protocol.handle(APP_SCHEME, createAppHandler(options.rendererDir));
  protocol.handle(FILES_SCHEME, createStudioFileHandler(options));
}

/** "/a%20b/c.png" → "a b/c.png"; a malformed escape is refused rather than guessed. */
function decodePath(pathname: string): string {
  try {
    return decodeURIComponent(pathname.replace(/^\//, ''));
  } catch {
    throw new AccessDeniedError(`Refused malformed path ${pathname}`);
  }
}

async function respond(request: Request, serve: (url: URL) => Promise<Response>): Promise<Response> {
  if (request.method !== 'GET' && request.method !== 'HEAD') return new Response('Method not allowed', { status: 405 });
  try {
    return await serve(new URL(request.url));
  } catch (error) {
    if (error instanceof AccessDeniedError) return new Response(error.message, { status: 403 });
    if (error instanceof NotFoundError) return new Response(error.message, { status: 404 });
    // A file that exists but cannot be read (a disk error): say which and why.
    if (error instanceof StudioError) return new Response(error.message, { status: 500 });
    return new Response('Internal error', { status: 500 });
  }
}
