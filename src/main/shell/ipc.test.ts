/**
 * IPC contract: every StudioApi handler works for valid input from the app's
 * own page, and refuses invalid input, foreign senders and paths the user
 * did not choose. Electron is mocked; the StudioService behind it is real,
 * over temp folders, with a scripted trainer.
 */
import { mkdir, mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { callChannel, EVENT_CHANNEL, GRANT_PATH_CHANNEL, type IpcResult } from '../../preload/channels';
import type { DatasetInfo, RunSummary, StudioEvent } from '../../shared/api';
import type { StudioCallName } from '../../shared/api';
import type { DoctorReport } from '../../shared/doctor';

type Handler = (event: unknown, ...args: unknown[]) => Promise<IpcResult>;
const electron = vi.hoisted(() => ({
  handlers: new Map<string, (event: unknown, ...args: unknown[]) => unknown>(),
  listeners: new Map<string, (event: unknown, ...args: unknown[]) => void>(),
}));
vi.mock('electron', () => ({
  ipcMain: {
    handle: (channel: string, fn: (event: unknown, ...args: unknown[]) => unknown) => electron.handlers.set(channel, fn),
    removeHandler: (channel: string) => electron.handlers.delete(channel),
    on: (channel: string, fn: (event: unknown, ...args: unknown[]) => void) => electron.listeners.set(channel, fn),
    removeListener: (channel: string) => electron.listeners.delete(channel),
  },
}));

const { forwardEvents, isTrustedSender, registerIpcHandlers } = await import('./ipc');
const { StudioService } = await import('../studio-service');
const { PathGrants } = await import('../studio-service/path-grants');
const { FakeTrainer } = await import('../studio-service/fake-trainer');
const { STUDIO_CALL_NAMES } = await import('../studio-service/dispatch');

const APP = { senderFrame: { url: 'app://studio/index.html', parent: null } };
const FOREIGN = { senderFrame: { url: 'https://evil.example/index.html', parent: null } };
const SUBFRAME = { senderFrame: { url: 'app://studio/index.html', parent: {} } };

let root: string;
let imagesDir: string;
let service: InstanceType<typeof StudioService>;
const trainers: InstanceType<typeof FakeTrainer>[] = [];
const revealed: string[] = [];
let disposeIpc: () => void;
/** Doctor runs asked of the (scripted) probe process. */
let diagnoses = 0;
const DIAGNOSIS = { version: 2, auto: 'cpu', gpuWorks: false, summary: 'No GPU backend works: auto trains on cpu — CPU (test).' } as DoctorReport;
/** Paths the (simulated) user confirms in the native dialog. */
const confirmed: string[] = [];

async function call(name: StudioCallName | string, args: unknown[], event: unknown = APP): Promise<IpcResult> {
  const handler = electron.handlers.get(callChannel(name)) as Handler | undefined;
  if (!handler) throw new Error(`no handler for ${name}`);
  return handler(event, ...args);
}

async function ok<T>(name: StudioCallName, ...args: unknown[]): Promise<T> {
  const result = await call(name, args);
  if (!result.ok) throw new Error(`${name} failed: ${result.error.name}: ${result.error.message}`);
  return result.value as T;
}

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'gan-ipc-'));
  imagesDir = join(root, 'chosen', 'shapes');
  for (const cls of ['a', 'b']) {
    await mkdir(join(imagesDir, cls), { recursive: true });
    for (let i = 0; i < 4; i++) {
      const pixels = Buffer.alloc(16 * 16, (i + 1) * (cls === 'a' ? 20 : 50));
      await sharp(pixels, { raw: { width: 16, height: 16, channels: 1 } }).png().toFile(join(imagesDir, cls, `${i}.png`));
    }
  }
  service = new StudioService({
    runsRoot: join(root, 'runs'),
    datasetsRoot: join(root, 'datasets'),
    shell: 'electron',
    launcher: () => {
      const trainer = new FakeTrainer();
      trainers.push(trainer);
      return trainer;
    },
    urlForRunFile: (runId, rel) => `studio://run/${runId}/${rel}`,
    urlForDatasetPreview: (id) => `studio://dataset/${id}/preview.png`,
    reveal: (path) => void revealed.push(path),
    probeBackend: async () => ({ name: 'cpu', device: 'CPU (test)', skipped: [] }),
    diagnoseBackends: async () => {
      diagnoses++;
      await new Promise((resolve) => setTimeout(resolve, 20));
      return DIAGNOSIS;
    },
  });
  disposeIpc = registerIpcHandlers({
    service,
    allowedOrigins: ['app://studio'],
    grants: new PathGrants(),
    confirmPath: async (path) => confirmed.includes(path),
    chosenBefore: (path) => service.isDatasetSource(path),
  });
});

afterAll(async () => {
  await service.shutdown();
  await rm(root, { recursive: true, force: true });
});

describe('sender check', () => {
  it('accepts only the top-level app page', () => {
    expect(isTrustedSender(APP as never, ['app://studio'])).toBe(true);
    expect(isTrustedSender(FOREIGN as never, ['app://studio'])).toBe(false);
    expect(isTrustedSender(SUBFRAME as never, ['app://studio'])).toBe(false);
    expect(isTrustedSender({ senderFrame: null } as never, ['app://studio'])).toBe(false);
    expect(isTrustedSender({ senderFrame: { url: 'app://studio.evil/x', parent: null } } as never, ['app://studio'])).toBe(false);
    expect(isTrustedSender({ senderFrame: { url: 'http://localhost:5173/', parent: null } } as never, ['http://localhost:5173'])).toBe(true);
  });

  it.each(STUDIO_CALL_NAMES)('%s refuses a foreign sender and a subframe', async (name) => {
    for (const event of [FOREIGN, SUBFRAME]) {
      const result = await call(name, [], event);
      expect(result).toMatchObject({ ok: false, error: { name: 'AccessDeniedError' } });
    }
  });
});

describe('invalid input', () => {
  const invalid: Record<StudioCallName, unknown[]> = {
    getAppInfo: ['extra'],
    diagnoseBackends: ['--json'],
    listPresets: [1],
    summarizeModels: [{ latentDim: -1 }],
    listDatasets: [{}],
    importDataset: [42],
    importBuiltinDataset: ['x'],
    deleteDataset: ['../etc'],
    listRuns: [null],
    getRun: ['../../etc/passwd'],
    getRunSteps: ['run', -1, 1.5],
    getRunHistory: ['run', 1, 'last'],
    createRun: [{ datasetId: 'x', config: { preset: 'tiny' }, executor: { kind: 'slurm', slurm: { partition: 'gpu; rm -rf ~' } } }],
    createSweep: [{ datasetId: 'x', config: { preset: 'tiny' }, vary: [{ key: 'preset', values: ['quick'] }], seeds: 2, executor: { kind: 'local' } }],
    getExecutors: ['slurm'],
    pauseRun: ['a/b'],
    resumeRun: [7],
    stopRun: [''],
    renameRun: ['run', ''],
    deleteRun: ['a b'],
    repeatRun: ['run', 11],
    revealRun: [{ id: 'x' }],
    exportRun: [{ runId: '../x', format: 'gif' }],
    writeEvidence: [{ runId: 'a', baselineRunId: 'a' }],
    cancelExport: ['a/b'],
    listCheckpoints: ['../run'],
    generate: [{ runId: 'run', spec: { kind: 'interpolation', seed: 1, from: 2, to: 2, frames: 8, format: 'gif' } }],
    cancelGenerate: ['../job'],
  };
  it('covers every call', () => {
    expect(Object.keys(invalid).sort()).toEqual([...STUDIO_CALL_NAMES].sort());
  });
  it.each(STUDIO_CALL_NAMES)('%s refuses invalid arguments with a readable message', async (name) => {
    const result = await call(name, invalid[name]);
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.error.name).toBe('InvalidArgumentError');
      expect(result.error.message).toContain(name);
    }
  });
  it.each([
    ['an unknown format', { runId: 'r', format: 'avi' }],
    ['a comparison of one run', { runIds: ['r'], format: 'gif' }],
    ['a comparison of five runs', { runIds: ['a', 'b', 'c', 'd', 'e'], format: 'gif' }],
    ['a WebM comparison', { runIds: ['a', 'b'], format: 'webm' }],
    ['a comparison of a run with itself', { runIds: ['a', 'a'], format: 'gif' }],
    ['an output path', { runId: 'r', format: 'gif', out: '/tmp/x.gif' }],
    ['a fractional scale', { runId: 'r', format: 'gif', scale: 1.5 }],
    ['fps over 60', { runId: 'r', format: 'gif', fps: 120 }],
    ['a bad export id', { runId: 'r', format: 'gif', exportId: 'a/b' }],
  ])('exportRun refuses %s', async (_label, request) => {
    expect(await call('exportRun', [request])).toMatchObject({ ok: false, error: { name: 'InvalidArgumentError' } });
  });
  it('refuses ids that pass the schema but name no run, touching nothing', async () => {
    for (const id of ['..', '.', '.hidden']) {
      expect(await call('deleteRun', [id])).toMatchObject({ ok: false, error: { name: 'NotFoundError' } });
    }
    expect((await stat(root)).isDirectory()).toBe(true);
  });
  it('refuses an unknown call on a forged channel', async () => {
    expect(electron.handlers.has(callChannel('constructor'))).toBe(false);
  });
});

describe('paths outside the allowed roots', () => {
  it('refuses to import a path the user did not choose', async () => {
    const result = await call('importDataset', ['/etc']);
    expect(result).toMatchObject({ ok: false, error: { name: 'AccessDeniedError' } });
    expect((await call('importDataset', [join(imagesDir, '..', '..', '..')])).ok).toBe(false);
  });
  it('allows a typed path only after the user confirms it', async () => {
    const typed = join(imagesDir, 'a');
    expect(await call('importDataset', [typed, { channels: 1 }])).toMatchObject({ ok: false, error: { name: 'AccessDeniedError' } });
    confirmed.push(typed);
    expect(await call('importDataset', [typed, { channels: 1 }])).toMatchObject({ ok: true, value: { manifest: { count: 4 } } });
    // Confirming one folder does not open its parent.
    expect((await call('importDataset', [imagesDir])).ok).toBe(false);
  });
  it('ignores a grant from a foreign sender, honours one from the app page', async () => {
    electron.listeners.get(GRANT_PATH_CHANNEL)!(FOREIGN, imagesDir);
    expect((await call('importDataset', [imagesDir])).ok).toBe(false);
    electron.listeners.get(GRANT_PATH_CHANNEL)!(APP, imagesDir);
    const info = await ok<DatasetInfo>('importDataset', imagesDir, { channels: 1 });
    expect(info.manifest).toMatchObject({ count: 8, width: 16, channels: 1, classNames: ['a', 'b'] });
    // A sibling of the chosen folder is still not allowed.
    expect((await call('importDataset', [join(imagesDir, '..')])).ok).toBe(false);
  });
  it("re-imports a cached dataset's source without asking again (a later session)", async () => {
    // A restart: the same service, new handlers, no grants and nobody to confirm.
    disposeIpc();
    disposeIpc = registerIpcHandlers({
      service,
      allowedOrigins: ['app://studio'],
      grants: new PathGrants(),
      chosenBefore: (path) => service.isDatasetSource(path),
    });
    expect(await call('importDataset', [imagesDir, { channels: 1 }])).toMatchObject({ ok: true, value: { manifest: { count: 8 } } });
    expect((await call('importDataset', [join(imagesDir, '..')])).ok).toBe(false);
  });
});

describe('valid input works for every handler', () => {
  it('runs the whole API through IPC', async () => {
    const events: StudioEvent[] = [];
    const contents = { isDestroyed: () => false, send: (channel: string, event: StudioEvent) => channel === EVENT_CHANNEL && events.push(event), once: () => undefined };
    forwardEvents(service, contents as never);

    expect(await ok('getAppInfo')).toMatchObject({ shell: 'electron', runsRoot: join(root, 'runs'), backend: { name: 'cpu' } });
    // Two windows asking at once share one diagnosis; asking again later runs a fresh one.
    expect(await Promise.all([ok('diagnoseBackends'), ok('diagnoseBackends')])).toEqual([DIAGNOSIS, DIAGNOSIS]);
    expect(diagnoses).toBe(1);
    await ok('diagnoseBackends');
    expect(diagnoses).toBe(2);
    const presets = await ok<{ preset: { name: string }; generator: { totalParams: number } }[]>('listPresets');
    expect(presets.map((p) => p.preset.name)).toContain('tiny');

    electron.listeners.get(GRANT_PATH_CHANNEL)!(APP, imagesDir);
    const dataset = await ok<DatasetInfo>('importDataset', imagesDir, { channels: 1, maxImages: 6 });
    expect(dataset.manifest.count).toBe(6);
    expect(dataset.previewUrl).toBe(`studio://dataset/${dataset.manifest.id}/preview.png`);
    expect((await stat(join(root, 'datasets', dataset.manifest.id, 'preview.png'))).size).toBeGreaterThan(0);
    expect((await ok<DatasetInfo[]>('listDatasets')).map((d) => d.manifest.id)).toContain(dataset.manifest.id);

    const run = await ok<RunSummary>('createRun', { name: 'first', datasetId: dataset.manifest.id, config: { preset: 'tiny', epochs: 2, batchSize: 4 } });
    expect(run).toMatchObject({ name: 'first', status: 'running', dataset: { id: dataset.manifest.id } });
    expect(trainers.at(-1)!.sent[0]).toMatchObject({ type: 'start', resume: false, datasetDir: join(root, 'datasets', dataset.manifest.id) });

    await ok('pauseRun', run.id);
    await vi.waitFor(() => expect(events).toContainEqual(expect.objectContaining({ type: 'run-updated', run: expect.objectContaining({ id: run.id, status: 'paused' }) })));
    await ok('resumeRun', run.id);
    expect(trainers.at(-1)!.sent.at(-1)).toEqual({ type: 'resume' });
    await ok('stopRun', run.id);
    await service.runs.whenIdle(run.id);
    expect((await ok<{ run: RunSummary }>('getRun', run.id)).run.status).toBe('stopped');

    expect(await ok<RunSummary>('renameRun', run.id, 'renamed')).toMatchObject({ id: run.id, name: 'renamed' });
    expect((await ok<RunSummary[]>('listRuns')).map((r) => r.name)).toEqual(['renamed']);
    expect(await ok('revealRun', run.id)).toBe(join(root, 'runs', run.id));
    expect(revealed).toEqual([join(root, 'runs', run.id)]);

    await ok('resumeRun', run.id);
    expect(trainers.at(-1)!.sent[0]).toMatchObject({ type: 'start', resume: true });
    await ok('deleteRun', run.id);
    expect(events).toContainEqual({ type: 'run-deleted', runId: run.id });
    expect(await ok<RunSummary[]>('listRuns')).toEqual([]);
    expect((await call('getRun', [run.id])).ok).toBe(false);

    await ok('deleteDataset', dataset.manifest.id);
    expect((await ok<DatasetInfo[]>('listDatasets')).map((d) => d.manifest.id)).not.toContain(dataset.manifest.id);
    expect(events.some((e) => e.type === 'progress')).toBe(true);
  });

  it('exports a run, writes its evidence pack and cancels through IPC', async () => {
    const { makeFixtureRun } = await import('../export/test-fixtures');
    await makeFixtureRun(join(root, 'runs'), { id: 'fixture', epochs: 2, config: { gridRows: 2, gridCols: 2 } });
    const events: StudioEvent[] = [];
    const unsubscribe = service.onEvent((event) => events.push(event));
    expect(await ok('exportRun', { runId: 'fixture', format: 'gif', fps: 2, exportId: 'ipc-gif' })).toEqual({
      exportId: 'ipc-gif',
      files: [{ name: 'fixture.gif', url: 'studio://run/fixture/exports/fixture.gif' }],
    });
    expect(events).toContainEqual({ type: 'progress', progress: expect.objectContaining({ id: 'ipc-gif' }) });
    const pack = await ok<{ url: string }>('writeEvidence', { runId: 'fixture' });
    expect(pack.url).toBe('studio://run/fixture/exports/evidence/index.html');
    expect(await ok('cancelExport', 'not-running')).toBe(false);
    expect(await ok('cancelGenerate', 'not-running')).toBe(false);
    const file = join(root, 'runs', 'fixture', 'exports', 'fixture.gif');
    expect(await ok('revealRun', 'fixture', 'exports/fixture.gif')).toBe(file);
    expect(revealed.at(-1)).toBe(file);
    expect(await call('revealRun', ['fixture', '../../secret'])).toMatchObject({ ok: false, error: { name: 'AccessDeniedError' } });
    expect(await call('exportRun', [{ runId: 'no-such-run', format: 'csv' }])).toMatchObject({ ok: false, error: { name: 'NotFoundError' } });
    unsubscribe();
    await ok('deleteRun', 'fixture');
  });

  it('imports the built-in sample', async () => {
    const info = await ok<DatasetInfo>('importBuiltinDataset');
    expect(info.manifest).toMatchObject({ count: 10000, width: 28, height: 28, channels: 1, hasLabels: true });
  });

  it('reports a missing run as a NotFoundError with a hint', async () => {
    const result = await call('getRun', ['no-such-run']);
    expect(result).toMatchObject({ ok: false, error: { name: 'NotFoundError' } });
    if (!result.ok) expect(result.error.hint).toBeTruthy();
  });
});
