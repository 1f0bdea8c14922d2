/**
 * A run file without read permission (a sample PNG chmod 000): `serve`'s file
 * route answers 403 naming the file and the cause instead of a 200 that breaks
 * off with 0 bytes; the studio:// route (fileResponse) says the same; a GIF
 * export says "cannot read …: permission denied" instead of "unsupported image
 * format". The code under test runs in child processes as an unprivileged user
 * (root reads any file), so the permission bits really apply.
 */
import { spawn } from 'node:child_process';
import { chmod, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeFixtureRun } from './export/test-fixtures';
import { childArgs, mainModule as here, runUnprivileged, unprivileged } from './test-unprivileged';

let root: string;
let runDir: string;
const sample = () => join(runDir, 'samples', 'epoch-0002.png');

const childEnv = () => ({ ...process.env, HOME: root, GAN_STUDIO_HOME: join(root, 'home') });
const runChild = (script: string): unknown => runUnprivileged(script, { cwd: root, env: childEnv() });

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'unreadable-'));
  await chmod(root, 0o755);
  runDir = await makeFixtureRun(join(root, 'runs'), { id: 'run-1', epochs: 3 });
  await mkdir(join(root, 'out'), { mode: 0o777 });
  await chmod(join(root, 'out'), 0o777);
  await mkdir(join(root, 'home'), { mode: 0o777 });
  await chmod(join(root, 'home'), 0o777);
  await mkdir(join(root, 'renderer'));
  await writeFile(join(root, 'renderer', 'index.html'), '<!doctype html>');
  await chmod(sample(), 0o000);
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

describe('a run file without read permission', () => {
  it('makes exports name the file and the cause', () => {
    const error = runChild(
      `const { runExport } = await import(${here('export/request.ts')});` +
        `const error = await runExport({ format: 'gif', runDirs: [${JSON.stringify(runDir)}], out: ${JSON.stringify(join(root, 'out', 'p.gif'))} }).then(() => undefined, (e) => e);` +
        'console.log(JSON.stringify({ message: error?.message }));',
    ) as { message?: string };
    expect(error.message).toBe(`Export: cannot read ${sample()}: permission denied.`);
  });

  it('makes the studio:// route (fileResponse) refuse it by name, not stream 0 bytes', () => {
    const result = runChild(
      `const { fileResponse } = await import(${here('studio-service/safe-files.ts')});` +
        `const error = await fileResponse(${JSON.stringify(sample())}, {}, 'run-1/samples/epoch-0002.png').then(() => undefined, (e) => e);` +
        'console.log(JSON.stringify({ name: error?.name, message: error?.message }));',
    );
    // protocol.ts answers an AccessDeniedError with 403 and its message.
    expect(result).toEqual({ name: 'AccessDeniedError', message: 'cannot read run-1/samples/epoch-0002.png: permission denied.' });
  });

  it('makes serve answer 403 naming the file, not close the connection with 0 bytes', async () => {
    const script =
      `const { startServer } = await import(${here('server/index.ts')});` +
      `const { FakeTrainer } = await import(${here('studio-service/fake-trainer.ts')});` +
      `const server = await startServer({ port: 0, runsRoot: ${JSON.stringify(join(root, 'runs'))}, rendererDir: ${JSON.stringify(join(root, 'renderer'))},` +
      ` datasetsRoot: ${JSON.stringify(join(root, 'home', 'datasets'))}, launcher: () => new FakeTrainer(), probeBackend: async () => ({ name: 'cpu', device: 'CPU', skipped: [] }) });` +
      'console.log(JSON.stringify({ port: server.port, token: server.token }));';
    const child = spawn(process.execPath, childArgs(script), { ...unprivileged, env: childEnv(), cwd: root, stdio: ['ignore', 'pipe', 'inherit'] });
    try {
      const { port, token } = await new Promise<{ port: number; token: string }>((resolve, reject) => {
        let out = '';
        child.stdout.on('data', (chunk: Buffer) => {
          out += String(chunk);
          if (out.includes('\n')) resolve(JSON.parse(out.split('\n')[0]!) as { port: number; token: string });
        });
        child.on('exit', (code) => reject(new Error(`server exited with ${code}`)));
      });
      const reply = await new Promise<{ status: number; body: string }>((resolve, reject) => {
        request(`http://127.0.0.1:${port}/files/run/run-1/samples/epoch-0002.png?token=${token}`, (res) => {
          let body = '';
          res.on('data', (chunk: Buffer) => (body += String(chunk)));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
        })
          .on('error', reject)
          .end();
      });
      expect(reply).toEqual({ status: 403, body: 'cannot read samples/epoch-0002.png: permission denied.\n' });
    } finally {
      child.kill('SIGKILL');
    }
  });
});
