/**
 * Exports and evidence packs for the studio UI, over src/main/export: run
 * ids in, files inside runs/<id>/exports/ out (so the studio:// and
 * /files/run/ routes serve them), one AbortController per export so the UI
 * can cancel it, and progress events tagged with the export's id.
 */
import { randomUUID } from 'node:crypto';
import { readdir } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import type { EvidenceRequest, EvidenceResult, ExportFile, ExportResult, ExportRunRequest, Progress } from '../../shared/api';
import { safeFileName } from '../../shared/run-name';
import { defaultExportOut, ExportError, exportRequestFor, runExport, writeEvidence, type ExportRequest } from '../export';
import { StudioError } from './errors';
import { readRunRecord, runDirOf } from './run-files';

export interface ExportJobsOptions {
  runsRoot: string;
  urlForRunFile(runId: string, relPath: string): string;
  progress(progress: Progress): void;
}

/** The folder every UI export of a run is written into. */
export const EXPORTS_FOLDER = 'exports';

/** Runs exports one AbortController each; `cancel` aborts one, `cancelAll` every one (shutdown). */
export class ExportJobs {
  private readonly active = new Map<string, AbortController>();

  constructor(private readonly options: ExportJobsOptions) {}

  /** Export one run (any format) or 2–4 runs side by side (GIF/MP4). */
  exportRun(request: ExportRunRequest): Promise<ExportResult> {
    // track() reserves the id before the first await, so a duplicate id is refused however fast the first export runs.
    return this.track(request.exportId, async (exportId, signal, onProgress) => {
      const runIds = 'runIds' in request ? request.runIds : [request.runId];
      const names: string[] = [];
      for (const runId of runIds) names.push((await readRunRecord(this.options.runsRoot, runId)).name);
      const [firstId] = runIds as [string, ...string[]];
      const runDir = runDirOf(this.options.runsRoot, firstId);
      const exportsDir = join(runDir, EXPORTS_FOLDER);
      const exportRequest = this.toExportRequest(request, runIds, names, exportsDir);
      const outcome = await runExport(exportRequest, { signal, onProgress });
      const paths = request.format === 'generator' ? await filesIn(outcome.paths[0]!) : outcome.paths;
      const files = paths.map((path) => this.fileOf(firstId, runDir, exportsDir, path));
      return { exportId, files, ...(outcome.notes ? { notes: outcome.notes } : {}) };
    });
  }

  /** The evidence pack of a run, into exports/evidence/ or exports/evidence-vs-<baseline>/. */
  writeEvidence(request: EvidenceRequest): Promise<EvidenceResult> {
    return this.track(request.exportId, async (exportId, signal, onProgress) => {
      await readRunRecord(this.options.runsRoot, request.runId);
      if (request.baselineRunId) await readRunRecord(this.options.runsRoot, request.baselineRunId);
      const runDir = runDirOf(this.options.runsRoot, request.runId);
      const exportsDir = join(runDir, EXPORTS_FOLDER);
      const outDir = join(exportsDir, request.baselineRunId ? `evidence-vs-${request.baselineRunId}` : 'evidence');
      const result = await writeEvidence({
        runDir,
        ...(request.baselineRunId ? { baselineRunDir: runDirOf(this.options.runsRoot, request.baselineRunId) } : {}),
        outDir,
        onProgress,
        signal,
      });
      const files = result.files.map((path) => this.fileOf(request.runId, runDir, exportsDir, path));
      const url = this.fileOf(request.runId, runDir, exportsDir, result.index).url;
      return { exportId, url, files, ...(result.notes.length > 0 ? { notes: result.notes } : {}) };
    });
  }

  /** Abort export `exportId`; false when it is not running (finished, or never existed). */
  cancel(exportId: string): boolean {
    const controller = this.active.get(exportId);
    controller?.abort();
    return controller !== undefined;
  }

  /** Abort every running export (the studio is closing). */
  cancelAll(): void {
    for (const controller of this.active.values()) controller.abort();
  }

  private async track<T>(
    requestedId: string | undefined,
    work: (exportId: string, signal: AbortSignal, onProgress: (progress: Progress) => void) => Promise<T>,
  ): Promise<T> {
    const exportId = requestedId ?? randomUUID();
    if (this.active.has(exportId)) {
      throw new StudioError(`An export with id ${exportId} is already running.`, 'Wait for it to finish or cancel it first.');
    }
    const controller = new AbortController();
    this.active.set(exportId, controller);
    try {
      return await work(exportId, controller.signal, (progress) => this.options.progress({ ...progress, id: exportId }));
    } catch (error) {
      // Export errors carry their own message and hint (FfmpegNotFoundError lists what was tried).
      if (error instanceof ExportError || error instanceof StudioError) throw error;
      throw new StudioError(`Export failed: ${(error as Error).message ?? String(error)}`, 'Check the disk has room and the run folder is writable, then try again.');
    } finally {
      this.active.delete(exportId);
    }
  }

  /** Output paths inside the (first) run's exports folder, named after the runs ("quick-Fashion-MNIST-hinge-loss.gif"). */
  private toExportRequest(request: ExportRunRequest, runIds: string[], names: string[], exportsDir: string): ExportRequest {
    const runDirs = runIds.map((runId) => runDirOf(this.options.runsRoot, runId));
    const base = 'runIds' in request ? comparisonName(names) : safeFileName(names[0] ?? '', 'run');
    const epoch = 'epoch' in request ? request.epoch : undefined;
    return exportRequestFor(request.format, runDirs, defaultExportOut(request.format, exportsDir, base, epoch), { ...request, epoch });
  }

  private fileOf(runId: string, runDir: string, exportsDir: string, path: string): ExportFile {
    const rel = (from: string): string => relative(from, path).split(sep).join('/');
    return { name: rel(exportsDir), url: this.options.urlForRunFile(runId, rel(runDir)) };
  }
}

/** "<first>-vs-<second>[-vs-…]" from the runs' names, shortened with a hash when too long for a file name. */
function comparisonName(names: string[]): string {
  const name = names.map((n) => safeFileName(n)).join('-vs-');
  if (name.length <= 120) return name;
  let hash = 0;
  for (const char of names.join('/')) hash = (Math.imul(hash, 31) + char.charCodeAt(0)) >>> 0;
  return `${safeFileName(names[0] ?? '').slice(0, 60)}-vs-${names.length - 1}-runs-${hash.toString(16).padStart(8, '0')}`;
}

/** Every file under `dir`, recursively, sorted (the generator folder). */
async function filesIn(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true, recursive: true });
  return entries
    .filter((entry) => entry.isFile())
    .map((entry) => join(entry.parentPath, entry.name))
    .sort();
}
