/**
 * A run's TensorBoard log, fed by the training loop's hooks: every step
 * metric under its own name (gen_loss, disc_loss, …) at its global step,
 * epoch means as epoch/<name>, scores from scores.jsonl as scores/<name>, and
 * each sample grid as an image. Step scalars are buffered and written at
 * least every few seconds, at every epoch end and on stop.
 *
 * Resume: each session writes a new event file, and a resumed one first logs
 * SessionLog START at its first step, which tells TensorBoard to drop what an
 * earlier session logged from that step on (steps after the checkpoint that
 * were trained again).
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { EpochMetrics, StepMetrics } from '../../shared/metrics';
import { SCORE_NAMES, type ScoresRecord } from '../../shared/scores';
import { parseJsonl, RUN_FILES, RUN_JSONL, sampleFileName } from '../runs';
import { pngSize } from '../common/png-codec';
import { EventFile } from './event-file';
import type { SummaryValue } from './events';

/** Step records are written at least this often (ms), so a crash loses little. */
export const STEP_FLUSH_MS = 5_000;

/** Fields of a record that are its position, not a metric. */
const POSITION_KEYS = new Set(['step', 'epoch']);

export interface RunLogOptions {
  runDir: string;
  /** Global step this session continues from (0 for a new run). */
  startStep: number;
  /** Steps after which the loop writes an early sample grid (logged as images too). */
  earlySampleSteps: readonly number[];
  now?: () => number;
}

/** The TensorBoard side of one trainer session, shaped like an epoch hook. */
export interface TensorBoardLog {
  onStep(at: { step: number; metrics: StepMetrics }): Promise<void>;
  onEpochEnd(at: { step: number; completedEpochs: number; metrics: EpochMetrics }): Promise<void>;
  onStop(): Promise<void>;
}

/** Every numeric field of a record except its step/epoch, under `prefix` + its name. */
export function scalarsOf(record: object, prefix = ''): SummaryValue[] {
  return Object.entries(record)
    .filter((entry): entry is [string, number] => !POSITION_KEYS.has(entry[0]) && typeof entry[1] === 'number' && Number.isFinite(entry[1]))
    .map(([name, value]) => ({ tag: `${prefix}${name}`, scalar: value }));
}

/** The scores of one scores.jsonl record, each as scores/<name> (its value; std and n stay in the file). */
export function scoreScalars(record: ScoresRecord): SummaryValue[] {
  return SCORE_NAMES.flatMap((name) => {
    const score = record.scores[name];
    return score && Number.isFinite(score.value) ? [{ tag: `scores/${name}`, scalar: score.value }] : [];
  });
}

/** Open the log of a trainer session: a new event file in the run folder. */
export async function openTensorBoardLog(options: RunLogOptions): Promise<TensorBoardLog> {
  const now = options.now ?? Date.now;
  const file = await EventFile.create(options.runDir, now);
  if (options.startStep > 0) await file.append([{ time: now(), step: options.startStep + 1, body: { sessionStart: true } }]);
  let pending: StepMetrics[] = [];
  let lastFlush = now();

  const flushSteps = async () => {
    const steps = pending;
    pending = [];
    lastFlush = now();
    await file.append(steps.map((metrics) => ({ time: now(), step: metrics.step, body: { summary: scalarsOf(metrics) } })));
  };
  const image = async (path: string, step: number, tag = 'samples') => {
    const png = await readFile(path).catch(() => undefined);
    if (!png) return; // no grid this time (nothing to show)
    const { width, height, channels } = await pngSize(png);
    await file.append([{ time: now(), step, body: { summary: [{ tag, image: { png, width, height, channels } }] } }]);
  };
  const scores = async (epoch: number, step: number) => {
    const text = await readFile(join(options.runDir, RUN_FILES.scores), 'utf8').catch(() => undefined);
    if (!text) return; // this run does not score (or not yet)
    // A damaged line elsewhere in the file must not cost this epoch's scalars (the studio notes the damage).
    const record = parseJsonl<ScoresRecord>(text, RUN_JSONL.scores.isRecord)
      .records.filter((line) => line.epoch === epoch)
      .at(-1);
    const values = record ? scoreScalars(record) : [];
    if (values.length > 0) await file.append([{ time: now(), step, body: { summary: values } }]);
  };

  return {
    async onStep({ step, metrics }) {
      pending.push(metrics);
      if (options.earlySampleSteps.includes(step)) {
        await flushSteps();
        await image(join(options.runDir, sampleFileName('step', step)), step);
      } else if (now() - lastFlush >= STEP_FLUSH_MS) await flushSteps();
    },
    async onEpochEnd({ step, completedEpochs, metrics }) {
      await flushSteps();
      await file.append([{ time: now(), step, body: { summary: scalarsOf(metrics, 'epoch/') } }]);
      await scores(completedEpochs, step);
      await image(join(options.runDir, sampleFileName('epoch', completedEpochs)), step);
    },
    onStop: flushSteps,
  };
}
