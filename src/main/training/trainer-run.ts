/**
 * One trainer session, transport-free: take a start command, prepare the run
 * (backend, dataset reader, models — fresh or from the last complete checkpoint),
 * train, and report through `emit`. run.json's status follows along. The
 * process entry (trainer-entry.ts) wraps this; tests call it in-process.
 */
import { copyFile, mkdir, rm, stat } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { trainingConfigInputSchema, type TrainingConfig } from '../../shared/config';
import type { RunRecord } from '../../shared/run';
import type { TrainerCommand, TrainerEvent } from '../../shared/trainer-protocol';
import { openDataset, type DatasetReader } from '../data/reader';
import { pruneSamplesAfter, readRunRecord, RUN_FILES, truncateRunMetrics, updateRunRecord, writeRunRecord } from '../runs';
import { acquireRunLock, type RunLock } from '../runs/run-lock';
import { selectBackend } from '../backend/select';
import { watchActiveGpuDevice, type GpuDeviceWatch } from './device-watch';
import { gpuFailureAdvice } from './gpu-failure';
import { stepsPerEpoch } from './batches';
import { BatchSource } from './batch-source';
import type { CheckpointState } from './checkpoint';
import { latestCompleteCheckpoint } from './checkpoint';
import type { TrainingControl } from './control';
import { classifyFailure, TrainingError } from './errors';
import { fixedNoiseLength, loadOrCreateFixedNoise } from './fixed-noise';
import { createGanStep } from './gan-step';
import { scoresOffNote } from './hooks/score-hook';
import { trainLoop } from './loop';
import { buildDiscriminator, buildGenerator, imageShapeOf } from './models';
import { newestResumeAt, openResumePoint } from './resume-point';
import { Rng, withMathRandom } from '../common/rng';
import { configIssueLines } from '../../shared/config-issue';

export type StartCommand = Extract<TrainerCommand, { type: 'start' }>;

/**
 * Run a start command to its end. Never throws: the outcome is the last
 * event emitted, `finished` or `failed` (also returned).
 */
export async function runTrainer(
  command: StartCommand,
  emit: (event: TrainerEvent) => void,
  control: TrainingControl,
): Promise<Extract<TrainerEvent, { type: 'finished' | 'failed' }>> {
  const { runDir } = command;
  // Whether a failure is written to run.json. A refused resume (before the start record) is not:
  // the run, a finished one included, stays exactly as it was — status, length and all.
  let recordsFailure = false;
  let lock: RunLock | undefined;
  const disposables: { dispose(): void }[] = [];
  let gpuWatch: GpuDeviceWatch | undefined;
  let dataset: DatasetReader | undefined;
  let batches: BatchSource | undefined;
  try {
    const existing = await readExistingRecord(runDir);
    const config = chooseConfig(command, existing);
    await mkdir(runDir, { recursive: true });
    // Before anything is written: a run another trainer holds must not get this session's status.
    lock = await acquireRunLock(runDir);
    // A new run's run.json (the CLI writes one first) gets its failure; a fresh one is written once the inputs check out.
    recordsFailure = existing !== undefined && !command.resume;
    if (!command.resume && (await latestCompleteCheckpoint(runDir))) {
      throw new TrainingError('bad-input', `${runDir} already has checkpoints. Resume that run, or start a new run in an empty folder.`);
    }

    const forced = command.backend ?? config.backend;
    const backend = await selectBackend(forced ? { forced } : {});
    gpuWatch = watchActiveGpuDevice();
    if (gpuWatch) disposables.push(gpuWatch);
    dataset = await openDataset(command.datasetDir);
    const { manifest } = dataset;
    const expected = imageShapeOf(config);
    if (manifest.width !== expected.size || manifest.height !== expected.size || manifest.channels !== expected.channels) {
      throw new TrainingError(
        'bad-input',
        `Preset ${config.preset} expects ${expected.size}×${expected.size}×${expected.channels} images, got ` +
          `${manifest.width}×${manifest.height}×${manifest.channels} in dataset "${manifest.name}". ` +
          `Re-import it with size ${expected.size} and ${expected.channels === 1 ? 'gray' : 'RGB'} channels.`,
      );
    }
    if (command.resume && existing && existing.dataset.fingerprint !== manifest.source.fingerprint) {
      throw new TrainingError(
        'bad-input',
        `Run ${existing.id} was trained on dataset "${existing.dataset.name}" (fingerprint ${existing.dataset.fingerprint}), ` +
          `got "${manifest.name}" (fingerprint ${manifest.source.fingerprint}). Resume it with the same dataset.`,
      );
    }
    const perEpoch = stepsPerEpoch(manifest.count, config.batchSize);
    if (perEpoch === 0) {
      throw new TrainingError('bad-input', `Batch size ${config.batchSize} needs at least that many images, got ${manifest.count}. Lower the batch size to ${manifest.count} or less.`);
    }

    // The newest intact checkpoint (damaged newer ones are skipped and named in the notes).
    const totalSteps = perEpoch * config.epochs;
    const resumePoint = command.resume ? await openResumePoint(runDir, config, totalSteps) : undefined;
    const checkpoint = resumePoint?.checkpoint;
    const models = resumePoint
      ? { generator: resumePoint.generator, discriminator: resumePoint.discriminator }
      : withMathRandom(Rng.stream(config.seed, 'init'), () => ({ generator: buildGenerator(config), discriminator: buildDiscriminator(config) }));
    disposables.push(models.generator, models.discriminator);
    const gan = resumePoint?.gan ?? createGanStep({ ...models, config, totalSteps });
    disposables.push(gan);
    // A length below what is trained would end the run at once and record it shorter than it is.
    if (checkpoint && checkpoint.state.completedEpochs > config.epochs) {
      throw new TrainingError(
        'bad-input',
        `Cannot resume ${runDir} for ${config.epochs} epochs: its checkpoint ${basename(checkpoint.dir)} has ${checkpoint.state.completedEpochs} done. ` +
          `Give ${checkpoint.state.completedEpochs + 1} or more epochs to train it further.`,
      );
    }

    await writeStartRecord(runDir, existing, config, command, manifest, backend);
    recordsFailure = true;
    const start = checkpoint?.state ?? { step: 0, completedEpochs: 0, stepInEpoch: 0 };
    const kept = await truncateRunMetrics(runDir, start.step);
    await pruneSamplesAfter(runDir, { epoch: start.completedEpochs, step: start.step });
    const fixedNoise = await prepareFixedNoise(runDir, config, checkpoint);

    const notes = [...(resumePoint?.notes ?? []), ...kept.notes];
    // Kept in run.json so every front end (not only the terminal that resumed) can show them.
    await updateRunRecord(runDir, { resumeNotes: notes.length > 0 ? notes : undefined });
    const scoresOff = scoresOffNote(config, manifest.count);
    if (scoresOff) notes.push(scoresOff);
    emit({
      type: 'started',
      backend,
      totalEpochs: config.epochs,
      stepsPerEpoch: perEpoch,
      startEpoch: start.completedEpochs,
      startStep: start.step,
      ...(notes.length > 0 ? { notes } : {}),
    });
    batches = new BatchSource(dataset, { seed: config.seed, batchSize: config.batchSize, epochs: config.epochs });
    const result = await trainLoop({
      runDir,
      config,
      batches,
      dataset,
      shape: [manifest.height, manifest.width, manifest.channels],
      count: manifest.count,
      ...models,
      gan,
      fixedNoise,
      start,
      carriedSteps: kept.steps.filter((metrics) => metrics.epoch === start.completedEpochs + 1),
      control,
      deviceHealth: gpuWatch,
      emit: async (event) => {
        if (event.type === 'paused' || event.type === 'resumed') {
          await updateRunRecord(runDir, { status: event.type === 'paused' ? 'paused' : 'running' });
        }
        emit(event);
      },
    });
    await updateRunRecord(runDir, { status: result.reason, epoch: result.epoch, step: result.step });
    // Released before the parent hears the end, so it may resume the run right away.
    await lock.release();
    const finished = { type: 'finished', ...result } as const;
    emit(finished);
    return finished;
  } catch (error) {
    const failure = await describeFailure(error, runDir, gpuWatch);
    if (recordsFailure) {
      await updateRunRecord(runDir, { status: 'failed', failure: { kind: failure.kind, message: failure.error.message } }).catch(() => undefined);
    }
    await lock?.release().catch(() => undefined);
    // Refused: nothing was written, so the parent keeps the run's status as it was.
    const failed = { type: 'failed', ...failure, ...(recordsFailure ? {} : { refused: true }) } as const;
    emit(failed);
    return failed;
  } finally {
    disposables.forEach((item) => item.dispose());
    await batches?.close();
    await dataset?.close().catch(() => undefined);
  }
}

/**
 * Classify a failure; one the GPU caused (a lost device, an error WebGPU only reported) says
 * where a resume continues, since the GPU's weights cannot be checkpointed any more.
 */
async function describeFailure(error: unknown, runDir: string, gpuWatch: GpuDeviceWatch | undefined): Promise<ReturnType<typeof classifyFailure>> {
  const cause = gpuWatch ? await gpuWatch.explain(error) : error;
  const failure = classifyFailure(cause);
  if (gpuWatch?.failure !== undefined && cause === gpuWatch.failure) {
    const resumeAt = await newestResumeAt(runDir).catch(() => undefined);
    // On a line of its own: a notification shows the first line, the cause.
    failure.error.message = `${failure.error.message}\n${gpuFailureAdvice(runDir, resumeAt)}`;
  }
  return failure;
}

async function readExistingRecord(runDir: string): Promise<RunRecord | undefined> {
  if (!(await exists(join(runDir, RUN_FILES.record)))) return undefined;
  return readRunRecord(runDir);
}

/** A resumed run keeps run.json's config (its length changed to `command.epochs` when given); a new one takes the command's. */
function chooseConfig(command: StartCommand, existing: RunRecord | undefined): TrainingConfig {
  if (command.resume) {
    if (!existing) throw new TrainingError('bad-input', `Cannot resume ${command.runDir}: expected a run folder with run.json, found none.`);
    if (command.epochs === undefined) return existing.config;
    const epochs = trainingConfigInputSchema.shape.epochs.unwrap().safeParse(command.epochs);
    if (!epochs.success) {
      throw new TrainingError('bad-input', `Cannot resume ${command.runDir} for ${command.epochs} epochs: ${configIssueLines(epochs.error, () => 'the length in epochs', 'epochs').join(' ')}`);
    }
    return { ...existing.config, epochs: epochs.data };
  }
  const config = command.config ?? existing?.config;
  if (!config) throw new TrainingError('bad-input', `Cannot start ${command.runDir}: no config given and no run.json there.`);
  return config;
}

async function writeStartRecord(
  runDir: string,
  existing: RunRecord | undefined,
  config: TrainingConfig,
  command: StartCommand,
  manifest: DatasetReader['manifest'],
  backend: RunRecord['backend'],
): Promise<void> {
  await mkdir(join(runDir, RUN_FILES.samples), { recursive: true });
  const now = new Date().toISOString();
  const record: RunRecord = {
    version: 1,
    id: existing?.id ?? basename(runDir),
    name: existing?.name ?? basename(runDir),
    createdAt: existing?.createdAt ?? now,
    epoch: 0,
    step: 0,
    ...existing,
    config,
    dataset: {
      id: manifest.id,
      name: manifest.name,
      fingerprint: manifest.source.fingerprint,
      dir: command.datasetDir,
      // Where it came from, so a variant can re-import it once the cached copy is deleted.
      source: { path: manifest.source.path, kind: manifest.source.kind, options: manifest.options },
    },
    status: 'running',
    // Started: no failure, no place in a queue, no refusal of an earlier resume is true any more.
    failure: undefined,
    queued: undefined,
    resumeRefused: undefined,
    backend,
    updatedAt: now,
  };
  await writeRunRecord(runDir, record);
}

/** A fresh run draws new fixed noise; a resumed one keeps noise.bin (restored from the checkpoint if lost or cut short). */
async function prepareFixedNoise(
  runDir: string,
  config: TrainingConfig,
  checkpoint: { dir: string; state: CheckpointState } | undefined,
): Promise<Float32Array> {
  const file = join(runDir, RUN_FILES.noise);
  if (!checkpoint) await rm(file, { force: true });
  else if ((await byteSize(file)) !== fixedNoiseLength(config) * 4) await copyFile(join(checkpoint.dir, RUN_FILES.noise), file);
  return loadOrCreateFixedNoise(runDir, config);
}

/** A file's size, or undefined when it does not exist. */
async function byteSize(path: string): Promise<number | undefined> {
  return stat(path).then(
    (info) => info.size,
    () => undefined,
  );
}

async function exists(path: string): Promise<boolean> {
  return stat(path).then(
    () => true,
    () => false,
  );
}
