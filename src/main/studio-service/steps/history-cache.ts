/**
 * A run's epochs.jsonl and scores.jsonl held in memory and followed as they
 * grow (JsonlFollower), and its list of grids kept until the samples folder
 * changes: opening a long run again reads only what was appended, in chunks
 * that let other requests through, instead of parsing thousands of records
 * and listing thousands of grids on every open. Runs not opened lately are
 * dropped first.
 */
import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { EpochMetrics } from '../../../shared/metrics';
import type { ScoresRecord } from '../../../shared/scores';
import { listSamples, RUN_FILES, RUN_JSONL, type RunJsonlName, type SampleFile } from '../../runs';
import { JsonlFollower } from '../../runs/jsonl-follower';
import { damageNote } from '../run-health';

/** The good records of one followed file. */
class FollowedRecords<T> {
  private records: T[] = [];
  private readonly file: string;
  private readonly follower: JsonlFollower;

  constructor(runDir: string, name: RunJsonlName) {
    const { file, isRecord } = RUN_JSONL[name];
    this.file = file;
    this.follower = new JsonlFollower(join(runDir, file), isRecord, {
      record: (value) => this.records.push(value as T),
      reset: () => (this.records = []),
    });
  }

  /** The up-to-date records, and the note on damaged lines skipped. */
  async read(): Promise<{ records: T[]; notes: string[] }> {
    await this.follower.refresh();
    return { records: this.records, notes: damageNote(this.file, this.follower.damage, this.follower.records) };
  }
}

/** The grids of a run, listed again only when the samples folder changed (a grid added or removed changes its mtime). */
class SampleList {
  private listed: { samples: SampleFile[]; version: string } | undefined;

  constructor(private readonly runDir: string) {}

  async read(): Promise<SampleFile[]> {
    const version = await stat(join(this.runDir, RUN_FILES.samples)).then(
      (info) => `${info.ino}:${info.mtimeMs}`,
      () => 'none',
    );
    if (this.listed?.version !== version) this.listed = { samples: await listSamples(this.runDir), version };
    return this.listed.samples;
  }
}

interface RunHistoryFiles {
  epochs: FollowedRecords<EpochMetrics>;
  scores: FollowedRecords<ScoresRecord>;
  samples: SampleList;
}

export class RunHistoryCache {
  private readonly runs = new Map<string, RunHistoryFiles>();

  /** `maxRuns`: runs held before the least recently opened is dropped. */
  constructor(private readonly maxRuns = 20) {}

  /** Every good epoch and score record and every grid of the run in `runDir`, and notes on damaged lines skipped. */
  async read(runDir: string): Promise<{ epochs: EpochMetrics[]; scores: ScoresRecord[]; samples: SampleFile[]; notes: string[] }> {
    const run = this.runs.get(runDir) ?? {
      epochs: new FollowedRecords<EpochMetrics>(runDir, 'epochs'),
      scores: new FollowedRecords<ScoresRecord>(runDir, 'scores'),
      samples: new SampleList(runDir),
    };
    // Re-inserting marks it the most recently used (Map keeps insertion order).
    this.runs.delete(runDir);
    this.runs.set(runDir, run);
    for (const dir of this.runs.keys()) if (this.runs.size > this.maxRuns) this.runs.delete(dir);
    const [epochs, scores, samples] = await Promise.all([run.epochs.read(), run.scores.read(), run.samples.read()]);
    return { epochs: epochs.records, scores: scores.records, samples, notes: [...epochs.notes, ...scores.notes] };
  }

  /** Drop a run's records (the run was deleted). */
  forget(runDir: string): void {
    this.runs.delete(runDir);
  }
}
