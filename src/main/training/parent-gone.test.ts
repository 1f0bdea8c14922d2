/**
 * A trainer whose supervisor is killed outright stops by itself: it
 * checkpoints at the next step and exits, instead of training on unwatched.
 * Two real process trees: a Node parent that forked the trainer, and the CLI
 * started the way npx starts it (npm exec → sh → gan-studio → trainer).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readdir, readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { resolveTrainingConfig } from '../../shared/config';
import { readRunMetrics, readRunRecord } from '../runs';
import { RUN_LOCK_FILE } from '../runs/run-lock';
import { latestCompleteCheckpoint } from './checkpoint';
import { writeSquaresDataset } from '../common/test-support';

let root: string;
let datasetDir: string;
const tsx = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'parent-gone-'));
  datasetDir = await writeSquaresDataset(join(root, 'dataset'), 32);
});

/** Resolves once `check` holds, polling; rejects after `ms`. */
async function until(check: () => Promise<boolean> | boolean, ms: number, what: string): Promise<number> {
  const started = Date.now();
  while (!(await check())) {
    if (Date.now() - started > ms) throw new Error(`timed out after ${ms} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return Date.now() - started;
}

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

/** The trainer's pid, from the lock it holds on the run folder. */
async function trainerPid(runDir: string): Promise<number> {
  await until(() => existsSync(join(runDir, RUN_LOCK_FILE)), 60_000, 'the trainer lock');
  return (JSON.parse(await readFile(join(runDir, RUN_LOCK_FILE), 'utf8')) as { pid: number }).pid;
}

async function stepsWritten(runDir: string): Promise<number> {
  return (await readRunMetrics(runDir).catch(() => ({ steps: [] }))).steps.length;
}

/** After the kill: the trainer is gone within seconds, with a checkpoint at its last step and run.json "stopped". */
async function expectStoppedWithCheckpoint(runDir: string, trainer: number): Promise<void> {
  const took = await until(() => !alive(trainer), 15_000, 'the orphaned trainer to exit');
  expect(took).toBeLessThan(15_000);
  const { steps } = await readRunMetrics(runDir);
  expect((await latestCompleteCheckpoint(runDir))?.state.step).toBe(steps.at(-1)!.step);
  expect((await readRunRecord(runDir)).status).toBe('stopped');
}

/** Clean up after a failed test too: the parent, and the trainer (its CLI then exits by itself). */
function killTree(child: ChildProcess, trainer: number | undefined): void {
  if (child.exitCode === null) child.kill('SIGKILL');
  if (trainer !== undefined && alive(trainer)) process.kill(trainer, 'SIGKILL');
}

describe('watchParent', () => {
  it('notices re-parenting when the parent dies without any channel (the utilityProcess backstop)', async () => {
    const marker = join(root, 'parent-gone.txt');
    const script =
      `const { watchParent } = await import(${JSON.stringify(pathToFileURL(join(import.meta.dirname, 'trainer-channel.ts')).href)});` +
      `const { writeFileSync } = await import('node:fs');` +
      `watchParent(() => { writeFileSync(${JSON.stringify(marker)}, 'gone'); process.exit(0); }, 100); setInterval(() => {}, 1000);`;
    // sh starts the watcher in the background and exits once it is running: no IPC, no signal, just an orphan.
    const node = [process.execPath, '--import', tsx, '--input-type=module', '-e', script].map((arg) => `'${arg.replace(/'/g, `'\\''`)}'`).join(' ');
    spawn('sh', ['-c', `${node} & sleep 3`], { stdio: 'ignore' });
    const took = await until(() => existsSync(marker), 20_000, 'the orphan to notice');
    expect(took).toBeLessThan(20_000);
  });
});

describe('a trainer whose parent is killed', () => {
  it('checkpoints and exits (a Node parent that forked it)', async () => {
    const runDir = join(root, 'node-parent');
    const config = resolveTrainingConfig({ preset: 'tiny', seed: 1, batchSize: 8, epochs: 500, earlySampleSteps: [] });
    const start = { type: 'start', runDir, datasetDir, config, resume: false, backend: 'cpu' };
    const script =
      `const { spawnTrainerProcess } = await import(${JSON.stringify(pathToFileURL(join(import.meta.dirname, 'trainer-process.ts')).href)});` +
      `spawnTrainerProcess().send(${JSON.stringify(start)}); setInterval(() => {}, 1000);`;
    const parent = spawn(process.execPath, ['--import', tsx, '--input-type=module', '-e', script], { stdio: 'ignore' });
    let trainer: number | undefined;
    try {
      trainer = await trainerPid(runDir);
      await until(async () => (await stepsWritten(runDir)) >= 3, 60_000, 'three steps');
      parent.kill('SIGKILL');
      await expectStoppedWithCheckpoint(runDir, trainer);
    } finally {
      killTree(parent, trainer);
    }
  });

  it('checkpoints and exits when npx, which started the CLI, is killed', async () => {
    const runsRoot = join(root, 'npx-runs');
    const bin = join(import.meta.dirname, '..', '..', 'cli', 'gan-studio.js');
    const args = ['train', '--preset', 'tiny', '--max-images', '64', '--batch-size', '8', '--epochs', '500', '--backend', 'cpu', '--out', runsRoot];
    // npx runs a package's bin as `sh -c <bin>` with npm_command=exec; "; true" keeps sh from exec'ing node.
    const command = `${JSON.stringify(process.execPath)} ${JSON.stringify(bin)} ${args.join(' ')}; true`;
    const npx = spawn('sh', ['-c', command], {
      env: { ...process.env, npm_command: 'exec', GAN_STUDIO_HOME: join(root, 'home') },
      stdio: 'ignore',
    });
    let trainer: number | undefined;
    try {
      await until(async () => existsSync(runsRoot) && (await readdir(runsRoot)).length > 0, 120_000, 'the run folder');
      const runDir = join(runsRoot, (await readdir(runsRoot))[0]!);
      trainer = await trainerPid(runDir);
      await until(async () => (await stepsWritten(runDir)) >= 3, 60_000, 'three steps');
      npx.kill('SIGKILL');
      await expectStoppedWithCheckpoint(runDir, trainer);
    } finally {
      killTree(npx, trainer);
    }
  });
});
