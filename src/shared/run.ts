/** run.json: what a run is, as stored in its directory, and the schema it is checked with. */
import { z } from 'zod';
import { BACKEND_NAMES, type BackendReport } from './backends';
import { trainingConfigSchema, type TrainingConfig } from './config';
import { DATASET_SOURCE_KINDS, importOptionsSchema, type DatasetManifest, type DatasetSourceKind } from './dataset';
import { runSlurmRecordSchema, type RunSlurmRecord } from './slurm';

/**
 * Every status a run.json may hold (one list: the schema and the type both come from it).
 * `queued`: waiting for a free training slot (runs beyond the concurrency limit start in order as others end),
 * or, for a Slurm run, submitted and not started yet.
 */
export const RUN_STATUSES = ['created', 'queued', 'running', 'paused', 'completed', 'stopped', 'failed', 'crashed'] as const;
export type RunStatus = (typeof RUN_STATUSES)[number];

/** Run ids are folder names and URL segments: no separators, no dot first. */
export const RUN_ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_-]{0,127}$/;

export interface RunRecord {
  version: 1;
  id: string;
  name: string;
  config: TrainingConfig;
  dataset: {
    id: string;
    name: string;
    fingerprint: string;
    dir: string;
    /** Where the dataset was imported from and how, so a deleted one can be re-imported (absent in older runs). */
    source?: { path: string; kind: DatasetSourceKind; options: DatasetManifest['options'] };
  };
  status: RunStatus;
  /** Set when status is failed/crashed. */
  failure?: { kind: string; message: string };
  backend?: BackendReport;
  /**
   * Set while status is queued: when it joined the queue (the queue's order), whether it resumes from a
   * checkpoint, and the status it had before (`from`; absent in older runs), which it returns to if it
   * leaves the queue without starting.
   */
  queued?: { at: string; resume: boolean; from?: RunStatus };
  /**
   * Why the last resume could not start (the trainer refused it, or it could no longer start from the
   * queue). Beside the status, never instead of it: the run is as it was. Cleared by the next start the
   * trainer accepts.
   */
  resumeRefused?: { message: string; at: string };
  /** Set for a run trained on a Slurm cluster: its job (src/shared/slurm.ts). */
  slurm?: RunSlurmRecord;
  /** What the last resume had to repair (a damaged checkpoint skipped, metrics cut at a damaged line); absent after a clean start. */
  resumeNotes?: string[];
  /** Last complete epoch/step (from the last epoch record). */
  epoch: number;
  step: number;
  createdAt: string;
  updatedAt: string;
}

const count = z.number().int().min(0);
const timestamp = z.string().refine((text) => !Number.isNaN(Date.parse(text)), { message: 'expected an ISO date' });

/**
 * run.json as read from disk. Unknown fields are kept (a newer studio's additions survive a
 * rewrite by an older one); everything the studio relies on is checked.
 */
export const runRecordSchema: z.ZodType<RunRecord> = z.looseObject({
  version: z.literal(1),
  id: z.string().regex(RUN_ID_PATTERN, 'expected letters, digits, "-" or "_" (the folder name)'),
  name: z.string(),
  config: trainingConfigSchema,
  dataset: z.looseObject({
    id: z.string(),
    name: z.string(),
    fingerprint: z.string(),
    dir: z.string(),
    source: z.looseObject({ path: z.string(), kind: z.enum(DATASET_SOURCE_KINDS), options: importOptionsSchema }).optional(),
  }),
  status: z.enum(RUN_STATUSES),
  failure: z.looseObject({ kind: z.string(), message: z.string() }).optional(),
  backend: z
    .looseObject({
      name: z.enum(BACKEND_NAMES),
      device: z.string(),
      skipped: z.array(z.looseObject({ name: z.enum(BACKEND_NAMES), reason: z.string() })),
    })
    .optional(),
  queued: z.looseObject({ at: timestamp, resume: z.boolean(), from: z.enum(RUN_STATUSES).optional() }).optional(),
  resumeRefused: z.looseObject({ message: z.string(), at: timestamp }).optional(),
  resumeNotes: z.array(z.string()).optional(),
  slurm: runSlurmRecordSchema.optional(),
  epoch: count,
  step: count,
  createdAt: timestamp,
  updatedAt: timestamp,
});

/**
 * A folder in the runs root whose run.json cannot be used (garbage, missing fields, a foreign
 * id). It is listed — never hidden, never hiding the others — with the reason, and can be deleted.
 */
export interface DamagedRun {
  /** The folder's name (not what the damaged run.json claims). */
  id: string;
  /** run.json's name when it could be read, else the folder name. */
  name: string;
  status: 'damaged';
  /** What is wrong, e.g. "run.json: createdAt: expected string, received undefined". */
  damage: string;
  /** run.json's createdAt when readable, else the folder's modification time (for sorting). */
  createdAt: string;
}
