/**
 * Generate for the studio UI: run ids in, files inside runs/<id>/generated/
 * out (served by the studio:// and /files/run/ routes like every run file).
 * What can be checked cheaply (the run, the checkpoint, its EMA generator) is
 * checked here, so a bad request fails at once; the generating itself runs in
 * a separate, kept-warm process (see generate/worker.ts), one job at a time.
 */
import { existsSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import type { GenerateRequest } from '../../shared/api';
import type { GenerateResult, GeneratorCheckpoint } from '../../shared/generate';
import { removeAbandonedTemps } from '../export/atomic-output';
import { ExportCancelledError, ExportError } from '../export/errors';
import { chooseCheckpoint, generatorDirOf, listGeneratorCheckpoints } from '../generate/checkpoints';
import type { GenerateJob } from '../generate/generate';
import type { GenerateRunner } from '../generate/worker';
import { StudioError } from './errors';
import { readRunRecord, runDirOf } from './run-files';

/** The folder of a run that Generate writes into. */
export const GENERATED_FOLDER = 'generated';

export interface GenerateJobsOptions {
  runsRoot: string;
  urlForRunFile(runId: string, relPath: string): string;
  runner: GenerateRunner;
}

export class GenerateJobs {
  /** Jobs that were given a jobId, so the UI can cancel them. */
  private readonly active = new Map<string, AbortController>();

  constructor(private readonly options: GenerateJobsOptions) {}

  /** The run's saved generators, oldest first. */
  async listCheckpoints(runId: string): Promise<GeneratorCheckpoint[]> {
    await readRunRecord(this.options.runsRoot, runId);
    const checkpoints = await listGeneratorCheckpoints(runDirOf(this.options.runsRoot, runId));
    return checkpoints.map(({ dir: _dir, ...checkpoint }) => checkpoint);
  }

  /** Generate what `request.spec` asks for from the chosen checkpoint (default: the newest). */
  async generate(request: GenerateRequest): Promise<GenerateResult> {
    const { jobId } = request;
    if (jobId === undefined) return this.generateNow(request);
    if (this.active.has(jobId)) throw new StudioError(`A generate job with id ${jobId} is already running.`, 'Wait for it to finish or cancel it first.');
    const controller = new AbortController();
    this.active.set(jobId, controller);
    try {
      return await this.generateNow(request, controller.signal);
    } finally {
      this.active.delete(jobId);
    }
  }

  /** Cancel job `jobId` (the generate process is killed; no partial file stays); false when it is not running. */
  cancel(jobId: string): boolean {
    const controller = this.active.get(jobId);
    controller?.abort();
    return controller !== undefined;
  }

  private async generateNow(request: GenerateRequest, signal?: AbortSignal): Promise<GenerateResult> {
    const record = await readRunRecord(this.options.runsRoot, request.runId);
    const runDir = runDirOf(this.options.runsRoot, request.runId);
    const ema = request.generator?.ema ?? false;
    // Checked here so a bad request fails at once; the job itself uses exactly this checkpoint.
    const { checkpoint, notes } = chooseCheckpoint(await listGeneratorCheckpoints(runDir), { step: request.generator?.step, runName: record.name });
    generatorDirOf(checkpoint, ema, record.name);
    const job: GenerateJob = { runDir, generator: { step: checkpoint.step, ema }, spec: request.spec, out: join(runDir, GENERATED_FOLDER, outputName(request, checkpoint.step, ema)) };
    const outputExisted = existsSync(job.out);
    const outcome = await this.options.runner.run(job, signal).catch(async (error: unknown) => {
      if (error instanceof ExportCancelledError) await removeCancelledOutput(job.out, outputExisted);
      if (error instanceof ExportError) throw error;
      throw new StudioError(`Generating failed: ${(error as Error).message ?? String(error)}`, 'Try again, or pick another checkpoint.');
    });
    const generated = join(runDir, GENERATED_FOLDER);
    const files = outcome.files.map((path) => ({
      name: relative(generated, path).split(sep).join('/'),
      url: this.options.urlForRunFile(request.runId, relative(runDir, path).split(sep).join('/')),
    }));
    return { checkpoint: outcome.checkpoint, ema: outcome.ema, files, ...(notes.length > 0 ? { notes } : {}) };
  }

  /** Stop the generate process (studio shutdown). */
  close(): void {
    this.options.runner.close();
  }
}

/**
 * A cancel kills the generate process mid-write: drop its `.name.partial-…` temp files and, when
 * the job created its folder of single images, the images it had finished, so nothing half-done stays.
 */
async function removeCancelledOutput(out: string, existedBefore: boolean): Promise<void> {
  await removeAbandonedTemps(out);
  if (!existedBefore) await rm(out, { recursive: true, force: true });
  else await removeAbandonedTemps(out, { inside: true });
}

/** A name that says what was drawn, so the same request overwrites its own file and nothing else. */
function outputName(request: GenerateRequest, step: number, ema: boolean): string {
  const from = `step-${step}${ema ? '-ema' : ''}-seed-${request.spec.seed}`;
  const spec = request.spec;
  switch (spec.kind) {
    case 'grid':
      return `grid-${from}-n${spec.count}.png`;
    case 'images':
      return `${from}-n${spec.count}`;
    case 'interpolation':
      return `interpolation-${from}-${spec.from}-to-${spec.to}-${spec.frames}f.${spec.format}`;
  }
}
