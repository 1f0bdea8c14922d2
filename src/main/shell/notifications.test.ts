import { describe, expect, it, vi } from 'vitest';
import type { RunSummary, StudioEvent } from '../../shared/api';

const electron = vi.hoisted(() => ({ shown: [] as { title: string; body: string }[], supported: true }));
vi.mock('electron', () => ({
  Notification: class {
    static isSupported = (): boolean => electron.supported;
    constructor(private readonly options: { title: string; body: string }) {}
    on(): void {}
    show(): void {
      electron.shown.push(this.options);
    }
  },
}));

const { notifyRunEvents } = await import('./notifications');

const summary = (id: string, status: RunSummary['status'], epoch = 0): RunSummary =>
  ({ id, name: `run ${id}`, status, epoch, step: 0, config: { epochs: 4 }, latestSampleUrl: null }) as unknown as RunSummary;

function setup(existing: RunSummary[]) {
  let listener: (event: StudioEvent) => void = () => undefined;
  const progress: number[] = [];
  const window = { isDestroyed: () => false, setProgressBar: (value: number) => progress.push(value), show: vi.fn() };
  const stop = notifyRunEvents(
    { listRuns: async () => existing, onEvent: (fn) => ((listener = fn), () => undefined) },
    () => window as never,
  );
  return { emit: (event: StudioEvent) => listener(event), progress, stop };
}

describe('notifyRunEvents (Electron wiring)', () => {
  it('shows a notification when a run it saw training finishes or crashes, and none for a stop', async () => {
    electron.shown.length = 0;
    const { emit } = setup([summary('done-before', 'completed', 4)]);
    await Promise.resolve();
    emit({ type: 'run-updated', run: summary('a', 'running', 1) });
    emit({ type: 'run-updated', run: summary('a', 'completed', 4) });
    emit({ type: 'run-updated', run: summary('b', 'running', 1) });
    emit({ type: 'run-updated', run: summary('b', 'stopped', 1) });
    emit({ type: 'run-updated', run: summary('c', 'running', 2) });
    emit({ type: 'run-updated', run: summary('c', 'crashed', 2) });
    emit({ type: 'run-updated', run: summary('done-before', 'completed', 4) });
    expect(electron.shown.map((n) => n.title)).toEqual(['Training finished: run a', 'Trainer crashed: run c']);
  });

  it('drives the taskbar progress from the runs training, and removes it (-1) when none is', async () => {
    const { emit, progress } = setup([]);
    await new Promise((done) => setTimeout(done, 0));
    emit({ type: 'run-updated', run: summary('a', 'running', 1) });
    emit({ type: 'run-updated', run: summary('b', 'running', 3) });
    emit({ type: 'run-updated', run: summary('a', 'completed', 4) });
    emit({ type: 'run-deleted', runId: 'b' });
    expect(progress).toEqual([-1, 0.25, 0.5, 0.75, -1]);
  });

  it('stays silent where the OS has no notifications', async () => {
    electron.shown.length = 0;
    electron.supported = false;
    const { emit } = setup([]);
    emit({ type: 'run-updated', run: summary('a', 'running', 1) });
    emit({ type: 'run-updated', run: summary('a', 'failed', 1) });
    expect(electron.shown).toEqual([]);
    electron.supported = true;
  });
});
