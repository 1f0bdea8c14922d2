/**
 * One validated entry point for every export, so the CLI, the desktop
 * service and `serve` run the same code: a request (checked with zod) in, the
 * written paths and a one-line summary out, with progress and cancel.
 */
import { z } from 'zod';
import type { Progress } from '../../shared/api';
import { ANIMATION_FORMATS, exportComparisonAnimation, exportProgressAnimation } from './animation';
import { explainExportFailure, ExportInputError, throwIfCancelled } from './errors';
import { exportCharts, exportCsv, exportGenerator, exportGridPng } from './run-exports';

const path = z.string().min(1).max(4096);
const epoch = z.number().int().positive();
const scale = z.number().int().min(1).max(16);

/** What to export; `out` is a file for animations and png, a folder otherwise. */
export const exportRequestSchema = z.discriminatedUnion('format', [
  z
    .object({
      format: z.enum(ANIMATION_FORMATS),
      /** One run, or 2–4 runs side by side. */
      runDirs: z.array(path).min(1).max(4),
      out: path,
      fps: z.number().positive().max(60).optional(),
      scale: scale.optional(),
      fromEpoch: epoch.optional(),
      toEpoch: epoch.optional(),
    })
    .strict(),
  z.object({ format: z.literal('png'), runDir: path, out: path, epoch: epoch.optional(), scale: scale.optional() }).strict(),
  z.object({ format: z.enum(['charts', 'csv', 'generator']), runDir: path, out: path }).strict(),
]);

export type ExportRequest = z.input<typeof exportRequestSchema>;

/** Every export format by name. */
export const EXPORT_FORMATS = [...ANIMATION_FORMATS, 'png', 'charts', 'csv', 'generator'] as const;

export interface ExportOutcome {
  /** Files (or, for generator, the folder) written. */
  paths: string[];
  summary: string;
  /** What was damaged in the run and left out or passed over (a metrics line, a checkpoint), one sentence each. */
  notes?: string[];
}

/** Validate and run one export. */
export async function runExport(
  input: ExportRequest,
  options: { onProgress?: (progress: Progress) => void; signal?: AbortSignal } = {},
): Promise<ExportOutcome> {
  const parsed = exportRequestSchema.safeParse(input);
  if (!parsed.success) {
    throw new ExportInputError(`Invalid export request: ${parsed.error.issues.map((i) => `${i.path.join('.') || 'request'}: ${i.message}`).join('; ')}.`);
  }
  const request = parsed.data;
  const { onProgress, signal } = options;
  throwIfCancelled(signal);
  try {
    return await exportOne(request, onProgress, signal);
  } catch (error) {
    throw explainExportFailure(error);
  }
}

async function exportOne(
  request: z.output<typeof exportRequestSchema>,
  onProgress: ((progress: Progress) => void) | undefined,
  signal: AbortSignal | undefined,
): Promise<ExportOutcome> {
  switch (request.format) {
    case 'gif':
    case 'mp4':
    case 'webm': {
      const { runDirs, ...rest } = request;
      const result =
        runDirs.length > 1 ? await exportComparisonAnimation(runDirs, { ...rest, onProgress, signal }) : await exportProgressAnimation(runDirs[0]!, { ...rest, onProgress, signal });
      return {
        paths: [result.path],
        summary: `${result.path} (${result.frames} frames, epochs ${result.epochs[0]}–${result.epochs[1]}, ${result.width}×${result.height})`,
      };
    }
    case 'png': {
      const result = await exportGridPng(request.runDir, request);
      return { paths: [result.path], summary: `${result.path} (epoch ${result.epoch}, ${result.width}×${result.height})` };
    }
    case 'charts':
      return withNotes(await exportCharts(request.runDir, request.out, signal));
    case 'csv':
      return withNotes(await exportCsv(request.runDir, request.out));
    case 'generator': {
      const result = await exportGenerator(request.runDir, request.out);
      const summary = `${result.dir} (generator from step ${result.step}; load model.json with tf.loadLayersModel)`;
      return { paths: [result.dir], summary, ...(result.notes.length > 0 ? { notes: result.notes } : {}) };
    }
  }
}

function withNotes({ paths, notes }: { paths: string[]; notes: string[] }): ExportOutcome {
  return { paths, summary: paths.join(', '), ...(notes.length > 0 ? { notes } : {}) };
}
