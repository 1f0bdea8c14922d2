/**
 * One export (or evidence pack) the UI started: its progress, matched to it
 * by the export id the UI chose, its result or error, and cancel. Jobs are
 * kept per panel key (a run id, or the compared ids) so leaving a view and
 * coming back still shows a running export.
 */
import type { EvidenceRequest, ExportFile, ExportRunRequest, Progress } from '../../../shared/api';
import { studio } from './api';

export type ExportJobStatus = 'idle' | 'running' | 'done' | 'failed';

export class ExportJob {
  status: ExportJobStatus = $state('idle');
  /** What is being made, for the progress label ("GIF", "evidence pack"). */
  label = $state('');
  progress: Progress | undefined = $state();
  files: ExportFile[] = $state.raw([]);
  /** The page to open (evidence pack), else undefined. */
  pageUrl: string | undefined = $state();
  /** What was damaged in the run and left out or passed over, one sentence each. */
  notes: string[] = $state.raw([]);
  error: unknown = $state();
  exportId: string | undefined = $state();

  /** Export a run or a comparison. */
  exportRun(label: string, request: ExportRunRequest): Promise<void> {
    return this.start(label, async (exportId) => {
      const result = await studio.exportRun({ ...request, exportId });
      this.files = result.files;
      this.notes = result.notes ?? [];
    });
  }

  /** Write the evidence pack of a run (optionally against a baseline). */
  writeEvidence(request: EvidenceRequest): Promise<void> {
    return this.start('evidence pack', async (exportId) => {
      const result = await studio.writeEvidence({ ...request, exportId });
      this.files = result.files;
      this.pageUrl = result.url;
      this.notes = result.notes ?? [];
    });
  }

  /** Ask the studio to stop; the call then rejects with "Export cancelled". */
  async cancel(): Promise<void> {
    if (this.status === 'running' && this.exportId) await studio.cancelExport(this.exportId);
  }

  private async start(label: string, work: (exportId: string) => Promise<void>): Promise<void> {
    if (this.status === 'running') return;
    const exportId = crypto.randomUUID();
    Object.assign(this, { status: 'running', label, exportId, progress: undefined, files: [], pageUrl: undefined, notes: [], error: undefined });
    const unsubscribe = studio.onEvent((event) => {
      if (event.type === 'progress' && event.progress.id === exportId) this.progress = event.progress;
    });
    try {
      await work(exportId);
      this.status = 'done';
    } catch (error) {
      this.error = error;
      this.status = 'failed';
    } finally {
      unsubscribe();
    }
  }
}

const jobs = new Map<string, ExportJob>();

/** The job of one panel (created on first use). */
export function exportJob(key: string): ExportJob {
  let job = jobs.get(key);
  if (!job) jobs.set(key, (job = new ExportJob()));
  return job;
}

/** True for files a browser shows in a tab (else the link downloads). */
export function opensInBrowser(name: string): boolean {
  return /\.(gif|png|svg|mp4|webm|html)$/i.test(name);
}

/** The same URL with a version tag, so a re-export is not served from the browser's cache. */
export function freshUrl(url: string, exportId: string | undefined): string {
  return exportId ? `${url}${url.includes('?') ? '&' : '?'}v=${encodeURIComponent(exportId)}` : url;
}
