/**
 * One validated entry point for every export, so the CLI, the desktop
 * service and `serve` run the same code: a request (checked with zod) in, the
 * written paths and a one-line summary out, with progress and cancel.
 */
import { join } from 'node:path';
import { z } from 'zod';
import type { Progress } from '../../shared/api';
import { ANIMATION_FORMATS, EXPORT_FORMAT_SPECS, EXPORT_FORMATS, isAnimationFormat, outputFileFor, type ExportFormat } from '../../shared/export-formats';
import { exportComparisonAnimation, exportProgressAnimation } from './animation';
import { explainExportFailure, ExportInputError, throwIfCancelled } from './errors';
import { exportCharts, exportCsv, exportGenerator, exportGridPng } from './run-exports';
import { plural } from '../../shared/plural';

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

export { EXPORT_FORMATS };

/** The options an export may take; each format uses its own (animations: fps, scale, epoch range; png: epoch, scale). */
export interface ExportOptions {
  fps?: number;
  scale?: number;
  fromEpoch?: number;
  toEpoch?: number;
  epoch?: number;
}

/**
 * Where an export goes when no path is given: `<base>.<ext>` in the exports folder for a file
 * (a PNG adds its epoch), a `generator` folder there, or the exports folder itself (charts, CSV).
 */
export function defaultExportOut(format: ExportFormat, exportsDir: string, base: string, epoch?: number): string {
  const extension = EXPORT_FORMAT_SPECS[format].extension;
  if (format === 'png') return join(exportsDir, `${base}-epoch-${epoch ?? 'last'}${extension}`);
  if (extension !== undefined) return join(exportsDir, `${base}${extension}`);
  return format === 'generator' ? join(exportsDir, 'generator') : exportsDir;
}

/** The request for `format` over `runDirs` (2–4 only for an animation) writing `out`, with the options that format takes. */
export function exportRequestFor(format: ExportFormat, runDirs: string[], out: string, options: ExportOptions = {}): ExportRequest {
  const { fps, scale, fromEpoch, toEpoch, epoch } = options;
  if (isAnimationFormat(format)) return { format, runDirs, out, fps, scale, fromEpoch, toEpoch };
  const runDir = runDirs[0]!;
  if (format === 'png') return { format, runDir, out, epoch, scale };
  return { format, runDir, out };
}

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
  // A file without its format's extension gets it (ffmpeg would refuse a name it cannot map to a muxer).
  const file = outputFileFor(parsed.data.format, parsed.data.out);
  if (!file.ok) throw new ExportInputError(file.message, file.hint);
  const request = { ...parsed.data, out: file.file };
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
      const epochs = result.epochs[0] === result.epochs[1] ? `epoch ${result.epochs[0]}` : `epochs ${result.epochs[0]}–${result.epochs[1]}`;
      return {
        paths: [result.path],
        summary: `${result.path} (${plural(result.frames, 'frame')}, ${epochs}, ${result.width}×${result.height})`,
        ...(result.frames === 1 ? { notes: [ONE_FRAME_NOTE] } : {}),
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

/** An animation of one frame shows no progress: said with the result (the studio says it before exporting too). */
export const ONE_FRAME_NOTE = 'the animation has one frame (one epoch with a grid), so it shows no progress: train more epochs, or export that grid as a PNG.';

function withNotes({ paths, notes }: { paths: string[]; notes: string[] }): ExportOutcome {
  return { paths, summary: paths.join(', '), ...(notes.length > 0 ? { notes } : {}) };
}
