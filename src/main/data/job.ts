/**
 * What every importer receives: the resolved options and limits, where to
 * write, where it may put temporary files, and how to report progress.
 */
import type { z } from 'zod';
import type { importOptionsSchema, DatasetSourceKind } from '../../shared/dataset';
import type { DiskBudget } from './disk-budget';
import type { ImportLimits } from './limits';
import type { WriterResult } from './writer';

/** Import options after schema defaults are applied. */
export type ResolvedImportOptions = z.output<typeof importOptionsSchema>;

export interface ImportJob {
  options: ResolvedImportOptions;
  limits: ImportLimits;
  /** The temporary cache folder being filled (renamed into place on success). */
  outDir: string;
  /** Folder in which importers may create scratch folders (always removed). */
  scratchRoot: string;
  /** What the import may still write to the disk of outDir and scratchRoot: take bytes before writing them. */
  disk: DiskBudget;
  signal?: AbortSignal;
  progress(phase: string, done: number, total?: number): void;
}

/** What an importer hands back to the orchestrator. */
export interface ImportOutcome {
  kind: DatasetSourceKind;
  /** A display name the source itself carries (e.g. from classes.json). */
  name?: string;
  result: WriterResult;
}
