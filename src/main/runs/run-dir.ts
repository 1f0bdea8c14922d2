/**
 * The run directory (see docs/training.md): run.json is rewritten atomically,
 * metrics.jsonl / epochs.jsonl are append-only and trimmed back to the last
 * checkpoint on resume, samples/ holds the fixed-noise grids.
 */
import { mkdir, open, readdir, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { TrainingConfig } from '../../shared/config';
import type { EpochMetrics, StepMetrics } from '../../shared/metrics';
import { runRecordSchema, type RunRecord } from '../../shared/run';
import { autoRunName } from '../../shared/run-name';
import { scoresRecordSchema, type ScoresRecord } from '../../shared/scores';
import { writeFileAtomic } from './atomic';
import { describeJsonlDamage, filterJsonl, isObject, readJsonl, type RecordCheck } from './jsonl';
import { describeFsError, isDiskFull } from '../common/fs-errors';
import { isValidRunId, newRunId } from './run-id';

/** File and folder names inside a run directory. */
export const RUN_FILES = {
  record: 'run.json',
  metrics: 'metrics.jsonl',
  epochs: 'epochs.jsonl',
  scores: 'scores.jsonl',
  noise: 'noise.bin',
  samples: 'samples',
  checkpoints: 'checkpoints',
  exports: 'exports',
} as const;

/** An object whose `keys` are numbers (null stands for NaN, as JSON writes it). */
const hasNumbers =
  (...keys: string[]): RecordCheck =>
  (value) =>
    isObject(value) && keys.every((key) => typeof (value as Record<string, unknown>)[key] === 'number');

/** The run's JSON-lines files and what a good line of each must hold (anything else is a damaged line, skipped). */
export const RUN_JSONL = {
  metrics: { file: RUN_FILES.metrics, isRecord: hasNumbers('step') },
  epochs: { file: RUN_FILES.epochs, isRecord: hasNumbers('epoch', 'step') },
  scores: { file: RUN_FILES.scores, isRecord: (value: unknown) => scoresRecordSchema.safeParse(value).success },
} as const satisfies Record<string, { file: string; isRecord: RecordCheck }>;
export type RunJsonlName = keyof typeof RUN_JSONL;

/** What each of the run's JSON-lines files holds. */
interface RunJsonlRecords {
  metrics: StepMetrics;
  epochs: EpochMetrics;
  scores: ScoresRecord;
}

/** Every good record of one of the run's JSON-lines files, and a note saying which damaged lines were skipped. */
export async function readRunJsonl<K extends RunJsonlName>(dir: string, name: K): Promise<{ records: RunJsonlRecords[K][]; note?: string }> {
  const { file, isRecord } = RUN_JSONL[name];
  const { records, damage } = await readJsonl<RunJsonlRecords[K]>(join(dir, file), isRecord);
  return damage ? { records, note: describeJsonlDamage(file, damage, records.length) } : { records };
}

/** A run directory that is missing or damaged, with what to do about it. */
export class RunDirError extends Error {
  override name = 'RunDirError';
}

/**
 * Create `<runsRoot>/<id>/` with samples/ and a fresh run.json (status "created"). Without a name
 * the run is named as the studio names it ("tiny · Fashion-MNIST · 3 epochs"), whoever creates it.
 */
export async function createRunDir(
  runsRoot: string,
  init: { config: TrainingConfig; dataset: RunRecord['dataset']; name?: string; id?: string },
): Promise<{ dir: string; record: RunRecord }> {
  if (init.id !== undefined && !isValidRunId(init.id)) throw new RunDirError(`Run id must be letters, digits, "-" or "_", got "${init.id}".`);
  const { id, dir } = await makeRunFolder(runsRoot, init.id, init.config.preset);
  await mkdir(join(dir, RUN_FILES.samples), { recursive: true });
  const now = new Date().toISOString();
  const record: RunRecord = {
    version: 1,
    id,
    name: init.name ?? autoRunName(init.config, init.dataset.name),
    config: init.config,
    dataset: init.dataset,
    status: 'created',
    epoch: 0,
    step: 0,
    createdAt: now,
    updatedAt: now,
  };
  await writeRunRecord(dir, record);
  return { dir, record };
}

/**
 * A new, empty run folder. A generated id (time to the second + 4 hex digits) can repeat when many
 * runs are made in one second (a sweep): the folder is created exclusively and a taken id drawn again,
 * so one run never writes over another's run.json.
 */
async function makeRunFolder(runsRoot: string, id: string | undefined, preset: string): Promise<{ id: string; dir: string }> {
  await mkdir(runsRoot, { recursive: true });
  for (let attempt = 0; ; attempt += 1) {
    const candidate = id ?? newRunId(preset);
    const dir = join(runsRoot, candidate);
    try {
      await mkdir(dir);
      return { id: candidate, dir };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      if (id !== undefined) throw new RunDirError(`A run folder named "${id}" already exists in ${runsRoot}.`);
      if (attempt >= 100) throw new RunDirError(`Could not find a free run id in ${runsRoot} after 100 tries.`);
    }
  }
}

/** Read and check run.json; RunDirError says what is wrong (missing, not JSON, which fields). */
export async function readRunRecord(dir: string): Promise<RunRecord> {
  const file = join(dir, RUN_FILES.record);
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') {
      throw new RunDirError(`Expected a run directory with run.json at ${dir}, but it does not exist. Pick a folder under your runs folder.`);
    }
    throw new RunDirError(`Cannot read ${file}: ${describeFsError(error)}.`);
  }
  return parseRunRecord(text, file);
}

/** Check run.json's text against the run record schema. */
export function parseRunRecord(text: string, file: string): RunRecord {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    throw new RunDirError(`${file} is not valid JSON (${text.trim() === '' ? 'it is empty' : 'it is damaged'}). Restore run.json from a backup to open the run; its metrics, samples and checkpoints are untouched.`);
  }
  const parsed = runRecordSchema.safeParse(raw);
  if (!parsed.success) {
    const problems = parsed.error.issues.slice(0, 3).map((issue) => `${issue.path.join('.') || '(top level)'}: ${issue.message}`);
    const more = parsed.error.issues.length > 3 ? ` (and ${parsed.error.issues.length - 3} more)` : '';
    throw new RunDirError(`${file} is not a valid run record: ${problems.join('; ')}${more}.`);
  }
  return parsed.data;
}

/**
 * Replace run.json atomically. On a full disk there is no room for the temp copy, but run.json's
 * own blocks can be rewritten in place: a run must never stay "running" because the disk filled
 * up, so its final status is worth the (tiny) risk of a torn write — which lists it as damaged.
 */
export async function writeRunRecord(dir: string, record: RunRecord): Promise<void> {
  const file = join(dir, RUN_FILES.record);
  const text = JSON.stringify(record, null, 2) + '\n';
  try {
    await writeFileAtomic(file, text);
  } catch (error) {
    if (!isDiskFull(error)) throw error;
    await overwriteInPlace(file, text);
  }
}

async function overwriteInPlace(file: string, text: string): Promise<void> {
  const handle = await open(file, 'r+');
  try {
    const { bytesWritten } = await handle.write(text, 0, 'utf8');
    await handle.truncate(bytesWritten);
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/** Merge `patch` into run.json (and stamp updatedAt); returns the new record. */
export async function updateRunRecord(dir: string, patch: Partial<Omit<RunRecord, 'version' | 'id'>>): Promise<RunRecord> {
  const record: RunRecord = { ...(await readRunRecord(dir)), ...patch, updatedAt: new Date().toISOString() };
  await writeRunRecord(dir, record);
  return record;
}

/** Every good step and epoch record of a run (torn last lines ignored), and a note per file with damaged lines. */
export async function readRunMetrics(dir: string): Promise<{ steps: StepMetrics[]; epochs: EpochMetrics[]; notes: string[] }> {
  const [steps, epochs] = await Promise.all([readRunJsonl(dir, 'metrics'), readRunJsonl(dir, 'epochs')]);
  return { steps: steps.records, epochs: epochs.records, notes: [steps.note, epochs.note].filter((note) => note !== undefined) };
}

/**
 * Drop metric and score records past `step` (the resumed checkpoint's step), so
 * steps re-run after a resume are not duplicated. Damaged lines are removed and
 * every good record up to `step` is kept; `notes` name the lines removed.
 */
export async function truncateRunMetrics(dir: string, step: number): Promise<{ steps: StepMetrics[]; epochs: EpochMetrics[]; notes: string[] }> {
  const filter = <K extends RunJsonlName>(name: K) =>
    filterJsonl<RunJsonlRecords[K]>(join(dir, RUN_JSONL[name].file), (record) => record.step <= step, RUN_JSONL[name].isRecord);
  // Scores of epochs past the checkpoint are recomputed when those epochs are trained again.
  const [steps, epochs, scores] = await Promise.all([filter('metrics'), filter('epochs'), filter('scores')]);
  const notes: string[] = [];
  for (const [file, result] of [[RUN_FILES.metrics, steps], [RUN_FILES.epochs, epochs], [RUN_FILES.scores, scores]] as const) {
    if (result.damage) notes.push(describeJsonlDamage(file, result.damage, result.kept.length, 'removed'));
  }
  return { steps: steps.kept, epochs: epochs.kept, notes };
}

/** One sample grid of a run. */
export interface SampleFile {
  /** Relative to the run directory, e.g. samples/epoch-0003.png. */
  file: string;
  kind: 'epoch' | 'step';
  /** The epoch (kind "epoch") or global step (kind "step") it was drawn after. */
  index: number;
}

/** The relative path of a sample grid: samples/epoch-0001.png or samples/step-000010.png. */
export function sampleFileName(kind: 'epoch' | 'step', index: number): string {
  const digits = kind === 'epoch' ? 4 : 6;
  return `${RUN_FILES.samples}/${kind}-${String(index).padStart(digits, '0')}.png`;
}

/** Sample grids on disk: early-step grids first (by step), then epoch grids (by epoch). */
export async function listSamples(dir: string): Promise<SampleFile[]> {
  let names: string[];
  try {
    names = await readdir(join(dir, RUN_FILES.samples));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
  const samples: SampleFile[] = [];
  for (const name of names) {
    const match = /^(epoch|step)-(\d+)\.png$/.exec(name);
    if (match) samples.push({ file: `${RUN_FILES.samples}/${name}`, kind: match[1] as 'epoch' | 'step', index: Number(match[2]) });
  }
  return samples.sort((a, b) => (a.kind === b.kind ? a.index - b.index : a.kind === 'step' ? -1 : 1));
}

/**
 * Delete grids drawn after a checkpoint (epoch grids past `epoch`, step grids
 * past `step`), so a resumed run's samples match its trimmed metrics; the
 * resumed training draws them again.
 */
export async function pruneSamplesAfter(dir: string, position: { epoch: number; step: number }): Promise<void> {
  for (const sample of await listSamples(dir)) {
    const limit = sample.kind === 'epoch' ? position.epoch : position.step;
    if (sample.index > limit) await rm(join(dir, sample.file), { force: true });
  }
}
