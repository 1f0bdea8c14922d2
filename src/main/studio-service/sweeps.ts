/**
 * A sweep's run folders: the plan (src/shared/sweep.ts) made into runs on one
 * dataset, in plan order — the first combination's seeds first, so its arm is
 * the baseline. Starting them is the executor's (one array on Slurm, or the
 * queue here).
 */
import type { DatasetManifest } from '../../shared/dataset';
import type { RunRecord } from '../../shared/run';
import { mapInOrder } from '../slurm/in-order';
import { planSweep, SweepError, sweepRequestSchema, type SweepRequest } from '../../shared/sweep';
import { createRunDir } from '../runs';
import { StudioError } from './errors';

/** "sweep-2026-12-07T17-24-47-3fa2": when, and unique enough for one runs folder. */
export function newSweepId(now = new Date()): string {
  const random = Array.from(crypto.getRandomValues(new Uint8Array(2)), (byte) => byte.toString(16).padStart(2, '0')).join('');
  return `sweep-${now.toISOString().slice(0, 19).replace(/:/g, '-')}-${random}`;
}

export async function createSweepRuns(
  runsRoot: string,
  request: SweepRequest,
  manifest: DatasetManifest,
  datasetDir: string,
): Promise<{ sweepId: string; records: RunRecord[] }> {
  const parsed = sweepRequestSchema.parse(request);
  let plan;
  try {
    plan = planSweep(parsed);
  } catch (error) {
    if (error instanceof SweepError) throw new StudioError(error.message, 'Change the varied values, then create the sweep again.');
    throw error;
  }
  const tooSmall = plan.find((run) => run.config.batchSize > manifest.count);
  if (tooSmall) {
    throw new StudioError(
      `Batch size ${tooSmall.config.batchSize} needs at least that many images, but dataset "${manifest.name}" has ${manifest.count}.`,
      `Vary the batch size up to ${manifest.count}, or pick a larger dataset.`,
    );
  }
  const dataset = {
    id: manifest.id,
    name: manifest.name,
    fingerprint: manifest.source.fingerprint,
    dir: datasetDir,
    source: { path: manifest.source.path, kind: manifest.source.kind, options: manifest.options },
  };
  const records = await mapInOrder(plan, async (run) => (await createRunDir(runsRoot, { config: run.config, dataset, name: run.name })).record);
  return { sweepId: newSweepId(), records };
}
