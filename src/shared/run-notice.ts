/**
 * Which run events deserve a notification, what it says, and the overall
 * training progress for the dock/taskbar — one Electron-free, DOM-free
 * module that the desktop app (Electron's Notification, win.setProgressBar)
 * and the browser (the Notification API) both drive.
 */
import type { RunStatus } from './run';
import { plural } from './plural';

/** What a notice needs of a run. */
export interface NoticeRun {
  id: string;
  name: string;
  status: RunStatus;
  epoch: number;
  config: { epochs: number };
  failure?: { kind: string; message: string };
  resumeRefused?: { message: string; at: string };
}

export interface RunNotice {
  title: string;
  body: string;
  /** For a notification's tag: a run's later notice replaces its earlier one. */
  runId: string;
}

/** The endings worth interrupting someone for; a stop is the user's own doing, so it stays quiet. */
const ENDINGS: Partial<Record<RunStatus, (run: NoticeRun) => Omit<RunNotice, 'runId'>>> = {
  completed: (run) => ({ title: `Training finished: ${run.name}`, body: `All ${plural(run.config.epochs, 'epoch')} done. Open the run to see its grid and export it.` }),
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

/** A resume that could not start (the run went back to the status it had, which is no ending to announce). */
function refusalNotice(run: NoticeRun & Required<Pick<NoticeRun, 'resumeRefused'>>): RunNotice {
  return { title: `Resume refused: ${run.name}`, body: `${firstLine(run.resumeRefused.message) ?? ''} Nothing was changed.`.trim(), runId: run.id };
}

/** What the tracker remembers of a run between updates. */
interface SeenRun {
  status: RunStatus;
  /** The status it had when it joined the queue: going back to it is leaving the queue unstarted, no ending. */
  queuedFrom?: RunStatus;
  /** When its newest refusal seen was made: a refusal is announced once, when it is new. */
  refusalAt?: string;
}

/** Remembers each run's last status (and refusal) and turns updates into notices. */
export class RunNoticeTracker {
  private readonly seen = new Map<string, SeenRun>();

  /** Record runs already known (no notice for them). */
  seed(runs: Iterable<Pick<NoticeRun, 'id' | 'status' | 'resumeRefused'>>): void {
    for (const run of runs) this.seen.set(run.id, { status: run.status, refusalAt: run.resumeRefused?.at });
  }

  /** An update of `run`; returns the notice it deserves, if any. A run first seen while training is tracked from then on. */
  update(run: NoticeRun): RunNotice | undefined {
    const last = this.seen.get(run.id);
    const before = last?.status ?? (run.status === 'created' || run.status === 'running' ? 'created' : undefined);
    const refusal = run.resumeRefused;
    const queuedFrom = run.status !== 'queued' ? undefined : before === 'queued' ? last?.queuedFrom : before;
    this.seen.set(run.id, { status: run.status, queuedFrom, refusalAt: refusal?.at ?? last?.refusalAt });
    if (before === undefined) return undefined;
    // A refused resume of a crashed or failed run goes back to that status: the refusal is the news, not a new crash.
    if (refusal && refusal.at !== last?.refusalAt) return refusalNotice({ ...run, resumeRefused: refusal });
    if (before === 'queued' && last?.queuedFrom === run.status) return undefined;
    return noticeFor(before, run);
  }

  forget(runId: string): void {
    this.seen.delete(runId);
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
