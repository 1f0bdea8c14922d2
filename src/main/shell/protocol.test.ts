/**
 * The custom schemes resolve only inside their roots: ../, encoded ../,
 * absolute paths and symlinks that escape are refused; real files are served
 * with their type. Electron is mocked (only register* touches it).
 */
import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';

const registered = vi.hoisted(() => ({ privileged: [] as unknown[], handled: new Map<string, unknown>() }));
vi.mock('electron', () => ({
  protocol: {
    registerSchemesAsPrivileged: (schemes: unknown[]) => registered.privileged.push(...schemes),
    handle: (scheme: string, handler: unknown) => registered.handled.set(scheme, handler),
  },
}));
const { appContentSecurityPolicy, createAppHandler, createStudioFileHandler, registerPrivilegedSchemes, registerProtocolHandlers, runFileUrl } =
  await import('./protocol');

let root: string;
let runsRoot: string;
let datasetsRoot: string;
let rendererDir: string;
let files: (request: Request) => Promise<Response>;

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'gan-protocol-'));
  runsRoot = join(root, 'runs');
  datasetsRoot = join(root, 'datasets');
  rendererDir = join(root, 'renderer');
  await mkdir(join(runsRoot, 'run-1', 'samples'), { recursive: true });
  await mkdir(join(datasetsRoot, 'ds-1'), { recursive: true });
  await mkdir(rendererDir, { recursive: true });
  await writeFile(join(runsRoot, 'run-1', 'samples', 'epoch-0001.png'), 'png-bytes');
  await writeFile(join(runsRoot, 'run-1', 'run.json'), '{}');
  await mkdir(join(runsRoot, 'run-1', 'exports', 'evidence'), { recursive: true });
  for (const name of ['progress.gif', 'progress.mp4', 'progress.webm', 'loss.svg', 'steps.csv']) await writeFile(join(runsRoot, 'run-1', 'exports', name), 'x');
  await writeFile(join(runsRoot, 'run-1', 'exports', 'evidence', 'index.html'), '<!doctype html><p>pack</p>');
  await writeFile(join(datasetsRoot, 'ds-1', 'preview.png'), 'preview');
  await writeFile(join(datasetsRoot, 'ds-1', 'manifest.json'), '{}');
  await writeFile(join(root, 'secret.txt'), 'TOP-SECRET-CONTENT');
  await writeFile(join(rendererDir, 'index.html'), '<!doctype html>');
  // Symlinks that leave the root: a file and a whole folder.
  await symlink(join(root, 'secret.txt'), join(runsRoot, 'run-1', 'samples', 'leak.png'));
  await symlink(root, join(runsRoot, 'run-1', 'escape'));
  files = createStudioFileHandler({ runsRoot, datasetsRoot });
});
afterAll(() => rm(root, { recursive: true, force: true }));

async function get(url: string, handler = files): Promise<Response> {
  return handler(new Request(url));
}

describe('studio:// run files', () => {
  it('serves a file inside the runs root with its type', async () => {
    const response = await get(runFileUrl('run-1', 'samples/epoch-0001.png'));
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('image/png');
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    expect(await response.text()).toBe('png-bytes');
  });

  it.each([
    ['encoded ../', 'studio://run/run-1/%2E%2E/%2E%2E/secret.txt'],
    ['encoded slash and ..', 'studio://run/run-1%2F..%2F..%2Fsecret.txt'],
    ['absolute path', 'studio://run//etc/passwd'],
    ['encoded absolute path', 'studio://run/%2Fetc%2Fpasswd'],
    ['backslash', 'studio://run/run-1%5C..%5C..%5Csecret.txt'],
    ['symlinked file out of the root', 'studio://run/run-1/samples/leak.png'],
    ['symlinked folder out of the root', 'studio://run/run-1/escape/secret.txt'],
  ])('refuses %s', async (_label, url) => {
    const response = await get(url);
    expect([403, 404]).toContain(response.status);
    expect(await response.text()).not.toContain('TOP-SECRET-CONTENT');
  });

  it('serves exports in subfolders with their types, and every run file with a CSP that forbids scripts', async () => {
    const types: [string, string][] = [
      ['exports/progress.gif', 'image/gif'],
      ['exports/progress.mp4', 'video/mp4'],
      ['exports/progress.webm', 'video/webm'],
      ['exports/loss.svg', 'image/svg+xml'],
      ['exports/steps.csv', 'text/csv; charset=utf-8'],
      ['exports/evidence/index.html', 'text/html; charset=utf-8'],
    ];
    for (const [rel, type] of types) {
      const response = await get(runFileUrl('run-1', rel));
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toBe(type);
      const csp = response.headers.get('content-security-policy')!;
      expect(csp).toContain("default-src 'none'");
      expect(csp).not.toContain('script-src');
    }
  });

  it('answers 404 for missing files and folders, 405 for writes', async () => {
    expect((await get('studio://run/run-1/samples/epoch-0099.png')).status).toBe(404);
    expect((await get('studio://run/run-1/samples')).status).toBe(404);
    expect((await files(new Request('studio://run/run-1/run.json', { method: 'POST', body: 'x' }))).status).toBe(405);
  });

  it('serves only the preview of a dataset, and nothing from unknown hosts', async () => {
    expect((await get('studio://dataset/ds-1/preview.png')).status).toBe(200);
    expect((await get('studio://dataset/ds-1/manifest.json')).status).toBe(404);
    expect((await get('studio://dataset/ds-1/../../secret.txt')).status).not.toBe(200);
    expect((await get('studio://elsewhere/secret.txt')).status).toBe(404);
  });
});

describe('app:// renderer', () => {
  it('serves index.html at the root with the strict CSP', async () => {
    const response = await get('app://studio/', createAppHandler(rendererDir));
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/text\/html/);
    const csp = response.headers.get('content-security-policy')!;
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toMatch(/unsafe-eval|script-src[^;]*unsafe-inline/);
    // No inline styles either (the UI styles through CSS files and the CSSOM); only Vite's dev server needs them.
    expect(csp).toContain("style-src 'self';");
    expect(csp).not.toContain('unsafe-inline');
    expect(appContentSecurityPolicy('http://localhost:5173')).toContain("style-src 'self' http://localhost:5173 'unsafe-inline';");
    expect((await get('app://studio/../secret.txt', createAppHandler(rendererDir))).status).toBe(404);
    expect((await get('app://other/index.html', createAppHandler(rendererDir))).status).toBe(404);
  });

  it('allows a dev server origin only when given', () => {
    expect(appContentSecurityPolicy()).not.toContain('localhost');
    expect(appContentSecurityPolicy('http://localhost:5173')).toContain('connect-src \'self\' http://localhost:5173 ws://localhost:5173');
  });

  it('registers both schemes as privileged and handles them', () => {
    registerPrivilegedSchemes();
    registerProtocolHandlers({ rendererDir, runsRoot, datasetsRoot });
    expect(registered.privileged).toEqual([
      expect.objectContaining({ scheme: 'app', privileges: expect.objectContaining({ standard: true, secure: true }) }),
      expect.objectContaining({ scheme: 'studio', privileges: expect.objectContaining({ standard: true, secure: true }) }),
    ]);
    expect([...registered.handled.keys()]).toEqual(['app', 'studio']);
  });
});
