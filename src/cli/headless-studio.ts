/**
 * The StudioService a CLI command drives (sweep, train --executor slurm):
 * the same engine as serve and the app, on the CLI's runs and datasets
 * folders, without a UI — and waiting for a set of runs to end, saying what
 * changes as it goes.
 */
import type { RunSummary } from '../shared/api';
import { describeJob } from '../shared/slurm';
import { printable } from '../shared/printable';
import { defaultDatasetsRoot } from '../main/studio-home';
import { StudioService } from '../main/studio-service';
import { spawnTrainerProcess } from '../main/training/trainer-process';

/** A studio on `runsRoot`; local runs another studio left queued stay that studio's to start. */
export function headlessStudio(runsRoot: string): StudioService {
  return new StudioService({
    runsRoot,
    datasetsRoot: defaultDatasetsRoot(),
    launcher: () => spawnTrainerProcess(),
    shell: 'browser',
    urlForRunFile: (runId, rel) => `${runsRoot}/${runId}/${rel}`,
    urlForDatasetPreview: (id) => id,
    probeBackend: async () => ({ name: 'cpu', device: 'unknown (not probed by the CLI)', skipped: [] }),
    takeUpQueue: false,
  });
}

const SETTLED = new Set(['completed', 'stopped', 'failed', 'crashed']);

/** True once the run ended and (on Slurm) its job left the queue with its end recorded. */
function settled(run: RunSummary): boolean {
  return SETTLED.has(run.status) && (!run.job || !['SUBMITTING', 'PENDING', 'REQUEUED', 'RUNNING', 'COMPLETING', 'SUSPENDED'].includes(run.job.state));
}

/** Wait until every run of `runIds` has ended; prints each change of state and each epoch. */
export async function waitForRuns(studio: StudioService, runIds: string[], say: (line: string) => void, pollMs = 2000): Promise<RunSummary[]> {
  const ids = new Set(runIds);
  const names = new Map<string, string>();
  const shown = new Map<string, string>();
  const off = studio.onEvent((event) => {
    if (event.type !== 'run-epoch' || !ids.has(event.runId)) return;
    const m = event.metrics;
    say(`${names.get(event.runId) ?? event.runId}: epoch ${m.epoch} gen_loss ${m.gen_loss.toFixed(4)} disc_loss ${m.disc_loss.toFixed(4)} fake_acc ${m.fake_accuracy.toFixed(3)}`);
  });
  try {
    for (;;) {
      const runs = (await studio.listRuns()).filter((run): run is RunSummary => ids.has(run.id) && run.status !== 'damaged');
      for (const run of runs) {
        names.set(run.id, printable(run.name));
        const line = `${printable(run.name)}: ${run.status}${run.job ? ` — ${describeJob(run.job)}` : ''}${run.failure ? `: ${printable(run.failure.message.split('\n')[0] ?? '')}` : ''}`;
        if (shown.get(run.id) !== line) say(line);
        shown.set(run.id, line);
      }
      if (runs.length === ids.size && runs.every(settled)) return runs;
      await new Promise((resolve) => setTimeout(resolve, pollMs));
    }
  } finally {
    off();
  }
}
