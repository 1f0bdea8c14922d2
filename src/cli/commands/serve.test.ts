/**
 * `gan-studio serve` as a user runs it: a child process prints the ready URL,
 * the URL (and only the URL with its token) opens the page, and Ctrl-C stops
 * it cleanly. Without a built UI it must say to run `npm run build`.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { packageRoot } from '../../main/paths';

let home: string;
beforeAll(async () => {
  home = await mkdtemp(join(tmpdir(), 'gan-serve-cli-'));
});
afterAll(() => rm(home, { recursive: true, force: true }));

it('prints a token URL, serves with it, refuses without it, and stops on SIGINT', async () => {
  const child = spawn(process.execPath, [join(packageRoot(), 'src', 'cli', 'gan-studio.js'), 'serve', '--port', '0', '--runs', join(home, 'runs')], {
    env: { ...process.env, GAN_STUDIO_HOME: home },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));

  if (!existsSync(join(packageRoot(), 'out', 'renderer', 'index.html'))) {
    expect(await exited).toBe(2);
    expect(output).toMatch(/npm run build/);
    return;
  }
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no ready URL in: ${output}`)), 60_000);
    const poll = setInterval(() => {
      const match = /http:\/\/127\.0\.0\.1:\d+\/\?token=[0-9a-f]{48}/.exec(output);
      if (match) {
        clearInterval(poll);
        clearTimeout(timer);
        resolve(match[0]);
      }
    }, 50);
  });
  // A brand-new home had no earlier token: no earlier URL stops working, so none is said to.
  expect(output).not.toContain('no longer work');
  expect(output).toContain('the URL below keeps working for later serves');
  const page = await fetch(url);
  expect(page.status).toBe(200);
  expect(await page.text()).toMatch(/<div id="app">/);
  expect((await fetch(url.replace(/\?token=.*/, ''))).status).toBe(401);

  child.kill('SIGINT');
  expect(await exited).toBe(0);
  expect(output).toMatch(/Stopping/);
  // The backend probe serve starts keeps Dawn's warnings about a software adapter out of the terminal.
  expect(output).not.toContain('artificially reduced');
});

it('explains a --host it cannot bind (exit 2, no raw getaddrinfo error)', async () => {
  const child = spawn(process.execPath, [join(packageRoot(), 'src', 'cli', 'gan-studio.js'), 'serve', '--port', '0', '--host', '999.1.1.1', '--runs', join(home, 'runs')], {
    env: { ...process.env, GAN_STUDIO_HOME: home },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const code = await new Promise<number | null>((resolve) => child.once('exit', (exitCode) => resolve(exitCode)));
  expect(code).toBe(2);
  if (!existsSync(join(packageRoot(), 'out', 'renderer', 'index.html'))) return; // refused earlier: UI not built
  expect(output).toContain('Cannot bind --host 999.1.1.1');
  expect(output).toContain('Hint: Use --host 127.0.0.1');
  expect(output).not.toContain('getaddrinfo');
}, 60_000);

it.each(['0', '1.5', 'many'])('refuses --max-concurrent-runs %s before starting (exit 2)', async (value) => {
  const child = spawn(process.execPath, [join(packageRoot(), 'src', 'cli', 'gan-studio.js'), 'serve', '--port', '0', '--max-concurrent-runs', value], {
    env: { ...process.env, GAN_STUDIO_HOME: home },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  expect(await new Promise<number | null>((resolve) => child.once('exit', (exitCode) => resolve(exitCode)))).toBe(2);
  expect(output).toContain(`--max-concurrent-runs: expected a whole number 1–64, got ${value}.`);
}, 60_000);
