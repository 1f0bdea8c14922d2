/**
 * Progress animations: one frame per saved epoch grid, captioned, encoded by
 * ffmpeg as GIF, MP4 or WebM — for one run, or 2–4 runs side by side on the
 * same epoch. Frames are drawn with sharp into a temp folder first (see
 * frames.ts), so ffmpeg only has to encode a numbered PNG sequence.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import sharp from 'sharp';
import type { Progress } from '../../shared/api';
import { writeFileAtomically } from './atomic-output';
import { ExportInputError, throwIfCancelled } from './errors';
import { resolveFfmpeg, type ResolvedFfmpeg } from './ffmpeg';
import { listEncoders, runFfmpeg } from './ffmpeg-run';
import { autoScale, ensureCaptionFont, layoutFor, renderFrame, type Panel, type PanelLayout } from './frames';
import { plannedEpochs, readRun, samplesInRange, type RunFiles, type EpochSample } from './run-files';

import { ANIMATION_FORMATS, type AnimationFormat } from '../../shared/export-formats';

export { ANIMATION_FORMATS, type AnimationFormat };

export interface AnimationOptions {
  format: AnimationFormat;
  /** Output file; its folder is created. */
  out: string;
  /** Frames (epochs) per second; default 4. */
  fps?: number;
  /** Integer nearest-neighbour upscaling; default: enough to make a grid about 256 px wide. */
  scale?: number;
  fromEpoch?: number;
  toEpoch?: number;
  onProgress?: (progress: Progress) => void;
  signal?: AbortSignal;
  /** A resolved ffmpeg (default: resolveFfmpeg()). */
  ffmpeg?: ResolvedFfmpeg;
}

/** What an export wrote. */
export interface AnimationResult {
  path: string;
  format: AnimationFormat;
  frames: number;
  width: number;
  height: number;
  /** First and last epoch shown. */
  epochs: [number, number];
}

/** One frame to draw: its panels. */
type FramePlan = Panel[];

function checkOptions(options: AnimationOptions): { fps: number } {
  if (!(ANIMATION_FORMATS as readonly string[]).includes(options.format)) {
    throw new ExportInputError(`Expected format gif, mp4 or webm, got "${options.format}".`);
  }
  const fps = options.fps ?? 4;
  if (!Number.isFinite(fps) || fps <= 0 || fps > 60) throw new ExportInputError(`Expected fps between 0 and 60, got ${options.fps}.`);
  if (options.scale !== undefined && (!Number.isInteger(options.scale) || options.scale < 1 || options.scale > 16)) {
    throw new ExportInputError(`Expected an integer scale from 1 to 16, got ${options.scale}.`);
  }
  return { fps };
}

/** Export one run's sample grids as a captioned animation. */
export async function exportProgressAnimation(runDir: string, options: AnimationOptions): Promise<AnimationResult> {
  checkOptions(options);
  const run = await readRun(runDir);
  const samples = samplesInRange(run, options.fromEpoch, options.toEpoch);
  const planned = plannedEpochs(run);
  const plans: FramePlan[] = samples.map((sample) => [{ gridPath: sample.path, caption: `epoch ${sample.epoch} / ${planned}` }]);
  const longest = `epoch ${planned} / ${planned}`;
  const firstGrid = samples[0]!.path;
  const base = await layoutFor(firstGrid, 1);
  const layout = await layoutFor(firstGrid, options.scale ?? autoScale(base.gridWidth));
  return encodeAnimation(plans, layout, longest, options, [samples[0]!.epoch, samples.at(-1)!.epoch]);
}

/** The grid a run shows at `epoch`: its own, or its last one once it has no later grid. */
function panelAt(run: RunFiles, samples: EpochSample[], epoch: number): Panel {
  const planned = plannedEpochs(run);
  const last = samples.at(-1)!;
  const title = run.record.name;
  if (epoch > last.epoch) {
    // A run that is still training has not ended; it only has no later grid yet.
    const live = ['created', 'running', 'paused'].includes(run.record.status);
    const caption = live ? `epoch ${last.epoch} / ${planned} (still training)` : `ended at epoch ${last.epoch} / ${planned}`;
    return { gridPath: last.path, title, caption, ended: true };
  }
  const shown = [...samples].reverse().find((sample) => sample.epoch <= epoch) ?? samples[0]!;
  return { gridPath: shown.path, title, caption: `epoch ${shown.epoch} / ${planned}` };
}

/** Export 2–4 runs side by side, one frame per epoch any of them saved. */
export async function exportComparisonAnimation(runDirs: string[], options: AnimationOptions): Promise<AnimationResult> {
  checkOptions(options);
  if (runDirs.length < 2 || runDirs.length > 4) throw new ExportInputError(`Expected 2 to 4 runs to compare, got ${runDirs.length}.`);
  const runs = await Promise.all(runDirs.map((dir) => readRun(dir)));
  const samples = runs.map((run) => samplesInRange(run, options.fromEpoch, options.toEpoch));
  const epochs = [...new Set(samples.flat().map((sample) => sample.epoch))].sort((a, b) => a - b);
  const plans = epochs.map((epoch) => runs.map((run, index) => panelAt(run, samples[index]!, epoch)));

  const bases = await Promise.all(samples.map((list) => layoutFor(list[0]!.path, 1)));
  const box = { gridWidth: Math.max(...bases.map((b) => b.gridWidth)), gridHeight: Math.max(...bases.map((b) => b.gridHeight)) };
  const scale = options.scale ?? autoScale(box.gridWidth);
  const layout = { gridWidth: box.gridWidth * scale, gridHeight: box.gridHeight * scale };
  const longest = plans.flat().reduce((a, panel) => (panel.caption.length > a.length ? panel.caption : a), '');
  return encodeAnimation(plans, layout, longest, options, [epochs[0]!, epochs.at(-1)!]);
}

/** ffmpeg's output options for `format` (also used by Generate's interpolation animations). */
export async function encoderArgs(format: AnimationFormat, ffmpeg: ResolvedFfmpeg): Promise<string[]> {
  if (format === 'gif') {
    // One palette for the whole animation keeps colours stable between frames; loop 0 = forever.
    return ['-filter_complex', '[0:v]split[a][b];[a]palettegen=stats_mode=full[p];[b][p]paletteuse', '-loop', '0'];
  }
  if (format === 'mp4') {
    // yuv420p + faststart: plays in browsers, QuickTime and slide decks; frames are already even-sized.
    return ['-c:v', 'libx264', '-pix_fmt', 'yuv420p', '-crf', '18', '-preset', 'medium', '-movflags', '+faststart'];
  }
  const encoders = await listEncoders(ffmpeg.path);
  if (encoders.has('libvpx-vp9')) {
    return ['-c:v', 'libvpx-vp9', '-pix_fmt', 'yuv420p', '-b:v', '0', '-crf', '31', '-deadline', 'good', '-cpu-used', '4'];
  }
  if (encoders.has('libvpx')) return ['-c:v', 'libvpx', '-pix_fmt', 'yuv420p', '-b:v', '2M', '-crf', '10'];
  throw new ExportInputError(
    `This ffmpeg (${ffmpeg.path}) has no VP9/VP8 encoder for WebM.`,
    'Export as GIF or MP4, or set FFMPEG_PATH to an ffmpeg built with libvpx.',
  );
}

async function encodeAnimation(
  plans: FramePlan[],
  layout: PanelLayout,
  longestText: string,
  options: AnimationOptions,
  epochs: [number, number],
): Promise<AnimationResult> {
  const { fps } = checkOptions(options);
  const { signal, onProgress } = options;
  const ffmpeg = options.ffmpeg ?? resolveFfmpeg();
  const args = await encoderArgs(options.format, ffmpeg);
  await ensureCaptionFont();
  const operation = `export ${options.format}`;
  // Drawing frames and encoding them are each counted as one unit per frame.
  const total = plans.length * 2;
  const framesDir = await mkdtemp(join(tmpdir(), 'gan-studio-frames-'));
  try {
    let size = { width: 0, height: 0 };
    for (const [index, plan] of plans.entries()) {
      throwIfCancelled(signal);
      const png = await renderFrame(plan, layout, longestText);
      if (index === 0) {
        const meta = await sharp(png).metadata();
        size = { width: meta.width ?? 0, height: meta.height ?? 0 };
      }
      await writeFile(join(framesDir, `frame-${String(index + 1).padStart(5, '0')}.png`), png);
      onProgress?.({ operation, done: index + 1, total, message: `drawing frame ${index + 1}/${plans.length}` });
    }
    const out = resolve(options.out);
    await writeFileAtomically(out, (temp) =>
      runFfmpeg(['-framerate', String(fps), '-i', join(framesDir, 'frame-%05d.png'), ...args, temp], {
        ffmpegPath: ffmpeg.path,
        signal,
        onFrame: (frame) =>
          onProgress?.({ operation, done: plans.length + Math.min(frame, plans.length), total, message: `encoding frame ${frame}/${plans.length}` }),
      }),
    );
    onProgress?.({ operation, done: total, total, message: `wrote ${out}` });
    return { path: out, format: options.format, frames: plans.length, ...size, epochs };
  } finally {
    await rm(framesDir, { recursive: true, force: true });
  }
}
