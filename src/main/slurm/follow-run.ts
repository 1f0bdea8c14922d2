/**
 * Following a run that trains elsewhere (a Slurm job on another node) by its
 * files: the trainer's events cannot reach the studio, but the run folder is
 * the source of truth, so new lines of metrics.jsonl, epochs.jsonl and
 * scores.jsonl and new sample grids become the same StudioEvents a local
 * trainer's would. Polling, not fs.watch: change notifications do not cross
 * NFS. Each poll opens the file afresh, which on NFS revalidates its size
 * (close-to-open consistency), then reads only what was appended.
 */
import { open, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { StudioEvent } from '../../shared/api';
import type { EpochMetrics, StepMetrics } from '../../shared/metrics';
import type { ScoresRecord } from '../../shared/scores';
import { sampleEntries } from '../studio-service/run-files';
import { listSamples, readJsonl, RUN_FILES } from '../runs';

/** A file read from where the last poll stopped; a shorter file (truncated on resume) is read again from the start. */
class AppendedLines {
  private offset = 0;
  private carry = '';

  constructor(private readonly file: string) {}

  /** Start after what the file holds now (the UI loaded that with getRun). */
  async skipExisting(): Promise<void> {
    this.offset = await sizeOf(this.file);
  }

  async read(): Promise<string[]> {
    let handle;
    try {
      handle = await open(this.file, 'r');
    } catch {
      return [];
    }
    try {
      const { size } = await handle.stat();
      if (size < this.offset) {
        this.offset = 0;
        this.carry = '';
      }
      if (size === this.offset) return [];
      const buffer = Buffer.alloc(size - this.offset);
      const { bytesRead } = await handle.read(buffer, 0, buffer.length, this.offset);
      this.offset += bytesRead;
      const text = this.carry + buffer.subarray(0, bytesRead).toString('utf8');
      const lines = text.split('\n');
      this.carry = lines.pop() ?? ''; // a line still being written waits for its newline
      return lines.filter((line) => line.trim() !== '');
    } finally {
      await handle.close();
    }
  }
}

async function sizeOf(file: string): Promise<number> {
  try {
    const handle = await open(file, 'r');
    try {
      return (await handle.stat()).size;
    } finally {
      await handle.close();
    }
  } catch {
    return 0;
  }
}

function parseLines<T>(lines: string[]): T[] {
  return lines.flatMap((line) => {
    try {
      return [JSON.parse(line) as T];
    } catch {
      return [];
    }
  });
}

export interface RunFollowerOptions {
  runId: string;
  runDir: string;
  emit(event: StudioEvent): void;
  urlForRunFile(runId: string, relPath: string): string;
  /** An epoch ended or a grid appeared: the run's summary changed. */
  onRunChanged(runId: string): void;
}

export class RunFollower {
  private readonly steps: AppendedLines;
  private readonly epochs: AppendedLines;
  private readonly scores: AppendedLines;
  private readonly seenSamples = new Set<string>();
  private readonly knownEpochs: EpochMetrics[] = [];
  private started: Promise<void> | undefined;

  constructor(private readonly options: RunFollowerOptions) {
    this.steps = new AppendedLines(join(options.runDir, RUN_FILES.metrics));
    this.epochs = new AppendedLines(join(options.runDir, RUN_FILES.epochs));
    this.scores = new AppendedLines(join(options.runDir, RUN_FILES.scores));
  }

  /** Read what was appended since the last poll and emit it. */
  async poll(): Promise<void> {
    this.started ??= this.start();
    await this.started;
    const { runId, emit } = this.options;
    let changed = false;
    const steps = parseLines<StepMetrics>(await this.steps.read());
    if (steps.length > 0) emit({ type: 'run-steps', runId, steps });
    for (const metrics of parseLines<EpochMetrics>(await this.epochs.read())) {
      this.knownEpochs.push(metrics);
      emit({ type: 'run-epoch', runId, metrics });
      changed = true;
    }
    for (const record of parseLines<ScoresRecord>(await this.scores.read())) {
      emit({ type: 'run-scores', runId, record });
      changed = true;
    }
    for (const sample of sampleEntries(await listSamples(this.options.runDir), this.knownEpochs)) {
      if (this.seenSamples.has(sample.file)) continue;
      this.seenSamples.add(sample.file);
      emit({ type: 'run-sample', runId, epoch: sample.epoch, step: sample.step, url: this.options.urlForRunFile(runId, sample.file) });
      changed = true;
    }
    if (changed) this.options.onRunChanged(runId);
  }

  private async start(): Promise<void> {
    await Promise.all([this.steps.skipExisting(), this.epochs.skipExisting(), this.scores.skipExisting()]);
    this.knownEpochs.push(...(await readJsonl<EpochMetrics>(join(this.options.runDir, RUN_FILES.epochs))).records);
    const names = await readdir(join(this.options.runDir, RUN_FILES.samples)).catch(() => [] as string[]);
    for (const name of names) this.seenSamples.add(`${RUN_FILES.samples}/${name}`);
  }
}
