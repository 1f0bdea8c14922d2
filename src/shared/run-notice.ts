/**
 * Which run events deserve a notification, what it says, and the overall
 * training progress for the dock/taskbar — one Electron-free, DOM-free
 * module that the desktop app (Electron's Notification, win.setProgressBar)
 * and the browser (the Notification API) both drive.
 */
import type { RunStatus } from './run';

/** What a notice needs of a run. */
export interface NoticeRun {
  id: string;
  name: string;
  status: RunStatus;
  epoch: number;
  config: { epochs: number };
  failure?: { kind: string; message: string };
}

export interface RunNotice {
  title: string;
  body: string;
  /** For a notification's tag: a run's later notice replaces its earlier one. */
  runId: string;
}

/** The endings worth interrupting someone for; a stop is the user's own doing, so it stays quiet. */
const ENDINGS: Partial<Record<RunStatus, (run: NoticeRun) => Omit<RunNotice, 'runId'>>> = {
  completed: (run) => ({ title: `Training finished: ${run.name}`, body: `All ${run.config.epochs} epochs done. Open the run to see its grid and export it.` }),
  failed: (run) => ({ title: `Training failed: ${run.name}`, body: firstLine(run.failure?.message) ?? `It stopped at epoch ${run.epoch}.` }),
  crashed: (run) => ({
    title: `Trainer crashed: ${run.name}`,
    body: `${firstLine(run.failure?.message) ?? 'The trainer process ended unexpectedly.'} Resume continues from epoch ${run.epoch}.`,
  }),
};

function firstLine(text: string | undefined): string | undefined {
  const line = text?.split('\n')[0]?.trim();
  return line ? (line.length > 180 ? `${line.slice(0, 179)}…` : line) : undefined;
}

/**
 * The notice for a run whose status went from `before` to `run.status`, or
 * undefined. Only a change into an ending counts: a run first seen already
 * ended (an app start, a reconnect) says nothing.
 */
export function noticeFor(before: RunStatus | undefined, run: NoticeRun): RunNotice | undefined {
  if (before === undefined || before === run.status) return undefined;
  const ending = ENDINGS[run.status];
  return ending ? { ...ending(run), runId: run.id } : undefined;
}

/** Remembers each run's last status and turns updates into notices. */
export class RunNoticeTracker {
  private readonly statuses = new Map<string, RunStatus>();

  /** Record runs already known (no notice for them). */
  seed(runs: Iterable<Pick<NoticeRun, 'id' | 'status'>>): void {
    for (const run of runs) this.statuses.set(run.id, run.status);
  }

  /** An update of `run`; returns the notice it deserves, if any. A run first seen while training is tracked from then on. */
  update(run: NoticeRun): RunNotice | undefined {
    const before = this.statuses.get(run.id) ?? (run.status === 'created' || run.status === 'running' ? 'created' : undefined);
    this.statuses.set(run.id, run.status);
    return noticeFor(before, run);
  }

  forget(runId: string): void {
    this.statuses.delete(runId);
  }
}

/**
 * The dock/taskbar progress: the mean share of epochs done over the runs
 * training now (paused ones count, they hold their place); undefined when
 * none is, so the bar is removed.
 */
export function trainingProgress(runs: Iterable<Pick<NoticeRun, 'status' | 'epoch' | 'config'>>): number | undefined {
  let sum = 0;
  let count = 0;
  for (const run of runs) {
    if (run.status !== 'running' && run.status !== 'paused') continue;
    sum += Math.min(1, run.epoch / Math.max(1, run.config.epochs));
    count++;
  }
  return count === 0 ? undefined : sum / count;
}
