/**
 * What run.json says about a run going into and out of the run queue, and
 * about a resume that could not start. A resume never changes a run's status
 * until its trainer accepts it (the trainer's start record says `running`):
 * while queued the run keeps the status it had in `queued.from`, to go back
 * to if it leaves the queue unstarted, and a refusal is noted beside the
 * status (`resumeRefused`), never instead of it.
 */
import type { RunRecord, RunStatus } from '../../shared/run';
import { readRunRecord, updateRunRecord } from './run-files';

/** Queue the run; its status (and a failure's reason) stays on record to go back to. */
export async function recordQueued(runsRoot: string, runId: string, resume: boolean): Promise<void> {
  const { status } = await readRunRecord(runsRoot, runId);
  await updateRunRecord(runsRoot, runId, { status: 'queued', queued: { at: new Date().toISOString(), resume, from: status } });
}

/** Taken out of the queue unstarted (Stop): a new run ends stopped, a resume goes back to the status it had. */
export async function recordDequeued(runsRoot: string, runId: string): Promise<void> {
  const record = await readRunRecord(runsRoot, runId);
  await updateRunRecord(runsRoot, runId, { status: record.queued?.resume ? statusBeforeQueue(record) : 'stopped', queued: undefined });
}

/** A resume about to start: a queued run's record goes back to the status it had; any other run's is left as it is. */
export async function recordResumeStarting(runsRoot: string, runId: string): Promise<RunRecord> {
  const record = await readRunRecord(runsRoot, runId);
  if (record.status !== 'queued') return record;
  return updateRunRecord(runsRoot, runId, { status: statusBeforeQueue(record), queued: undefined });
}

/**
 * A queued start that can no longer start when its turn comes (`reason`: why): a new run is marked
 * failed with it; a resume goes back to the status it had, with the reason noted beside it.
 */
export async function recordUnstartable(runsRoot: string, runId: string, resume: boolean, reason: string): Promise<void> {
  if (!resume) {
    await updateRunRecord(runsRoot, runId, { status: 'failed', queued: undefined, failure: { kind: 'error', message: `A queued run could not start: ${reason}` } });
    return;
  }
  const record = await readRunRecord(runsRoot, runId);
  await updateRunRecord(runsRoot, runId, {
    status: statusBeforeQueue(record),
    queued: undefined,
    resumeRefused: { message: `This resume waited in the queue and could not start: ${reason}`, at: new Date().toISOString() },
  });
}

/** A resume its trainer refused before touching the run: the trainer's message beside the unchanged status. */
export async function recordRefusedResume(runsRoot: string, runId: string, message: string): Promise<void> {
  await updateRunRecord(runsRoot, runId, { resumeRefused: { message, at: new Date().toISOString() } });
}

/** The status a queued run goes back to (older run.json files did not record it: stopped, where Resume is offered). */
function statusBeforeQueue(record: RunRecord): RunStatus {
  return record.status === 'queued' ? (record.queued?.from ?? 'stopped') : record.status;
}
