/**
 * `npm start`'s first run for real, on loopback: a local HTTP server stands in
 * for Electron's release mirror (ELECTRON_MIRROR + remote checksums, as a
 * user's corporate mirror would be), serving a stand-in archive whose
 * "electron" is a shell script that records how it was launched.
 */
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { buildZip } from '../../main/data/test-support';

const root = resolve(import.meta.dirname, '../../..');
const realElectron = join(root, 'node_modules', 'electron');
const { version } = JSON.parse(readFileSync(join(realElectron, 'package.json'), 'utf8')) as { version: string };
const archiveName = `electron-v${version}-${process.platform}-${process.arch}.zip`;

let server: Server;
let mirror: string;
const requests: string[] = [];
let work: string;

beforeAll(async () => {
  const launcher = '#!/bin/sh\necho "launched with: $*" > "$STANDIN_LOG"\n';
  const archive = buildZip([
    { name: 'electron', data: Buffer.from(launcher), mode: 0o100755 },
    { name: 'version', data: Buffer.from(`v${version}`) },
  ]);
  const sums = `${createHash('sha256').update(archive).digest('hex')} *${archiveName}\n`;
  server = createServer((req, res) => {
    requests.push(req.url ?? '');
    if (req.url === `/ok/v${version}/${archiveName}`) res.writeHead(200, { 'content-length': archive.length }).end(archive);
    else if (req.url === `/ok/v${version}/SHASUMS256.txt`) res.end(sums);
    else res.writeHead(404).end();
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  mirror = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(() => new Promise<void>((done) => server.close(() => done())));

beforeEach(() => {
  work = mkdtempSync(join(tmpdir(), 'gan-start-'));
  // A pristine copy of the electron package as npm ci leaves it: no dist/, no path.txt.
  cpSync(realElectron, join(work, 'electron'), { recursive: true, filter: (src) => !/[/\\](dist|path\.txt)$/.test(src) });
  requests.length = 0;
  return () => rmSync(work, { recursive: true, force: true });
});

function npmStart(env: Record<string, string>): Promise<{ code: number | null; stderr: string }> {
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/start-desktop.ts', '--skipBuild'], {
      cwd: root,
      env: {
        ...process.env,
        GAN_STUDIO_ELECTRON_DIR: join(work, 'electron'),
        // install.js in the copy resolves its own dependencies from the project's node_modules.
        NODE_PATH: join(root, 'node_modules'),
        electron_config_cache: join(work, 'cache'),
        STANDIN_LOG: join(work, 'launched.txt'),
        ...env,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', fail);
    child.on('exit', (code) => done({ code, stderr }));
  });
}

describe('npm start on a machine without the Electron binary', () => {
  it('downloads from ELECTRON_MIRROR with progress, unpacks, writes path.txt and launches the app', async () => {
    const first = await npmStart({ ELECTRON_MIRROR: `${mirror}/ok/`, electron_use_remote_checksums: '1' });
    expect(first.stderr).toContain(`downloading Electron ${version}`);
    expect(first.stderr).toMatch(/100%/);
    expect(first.code).toBe(0);
    expect(readFileSync(join(work, 'electron', 'path.txt'), 'utf8')).toBe(process.platform === 'win32' ? 'electron.exe' : 'electron');
    expect(existsSync(join(work, 'electron', 'dist', 'electron'))).toBe(true);
    // electron-vite preview ran the fetched binary on the project.
    expect(readFileSync(join(work, 'launched.txt'), 'utf8').trim()).toBe('launched with: .');
    expect(requests).toContain(`/ok/v${version}/${archiveName}`);

    // The second start finds the binary and downloads nothing.
    requests.length = 0;
    rmSync(join(work, 'launched.txt'));
    const second = await npmStart({ ELECTRON_MIRROR: `${mirror}/ok/`, electron_use_remote_checksums: '1' });
    expect(second.code).toBe(0);
    expect(second.stderr).not.toContain('downloading');
    expect(requests).toEqual([]);
    expect(existsSync(join(work, 'launched.txt'))).toBe(true);
  });

  it('a mirror without the archive: exit 3 naming the mirror, the 404 and what to set', async () => {
    const { code, stderr } = await npmStart({ ELECTRON_MIRROR: `${mirror}/missing/` });
    expect(code).toBe(3);
    expect(stderr).toContain(`Could not download Electron ${version}`);
    expect(stderr).toContain(`${mirror}/missing/ (ELECTRON_MIRROR)`);
    expect(stderr).toContain('404');
    expect(stderr).toContain('npx gan-studio serve');
    expect(existsSync(join(work, 'electron', 'path.txt'))).toBe(false);
  });

  it('offline (connection refused): exit 3 with the proxy and mirror settings to try', async () => {
    const closed = createServer();
    await new Promise<void>((done) => closed.listen(0, '127.0.0.1', done));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((done) => closed.close(() => done()));
    const { code, stderr } = await npmStart({ ELECTRON_MIRROR: `http://127.0.0.1:${port}/` });
    expect(code).toBe(3);
    expect(stderr).toContain('Check the internet connection');
    expect(stderr).toContain('HTTPS_PROXY and ELECTRON_GET_USE_PROXY=1');
  });

  it("an archive that fails Electron's bundled checksums is refused and not installed", async () => {
    const { code, stderr } = await npmStart({ ELECTRON_MIRROR: `${mirror}/ok/` });
    expect(code).toBe(3);
    expect(stderr).toContain('checksum did not match');
    expect(existsSync(join(work, 'electron', 'dist'))).toBe(false);
  });
});
