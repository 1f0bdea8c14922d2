/**
 * Which of a run's JSON-lines files hold damaged lines, for the runs list and
 * run headers: a run whose metrics.jsonl has one garbled line is still listed
 * and opened (its good records are all used), with a note saying what was
 * skipped. Each file is followed (JsonlFollower), so listing again reads only
 * what was appended since; the first listing reads each file once, in chunks
 * that let other requests through.
 */
import { basename, join } from 'node:path';
import { cannotRead, describeJsonlDamage, RUN_JSONL, type JsonlDamage } from '../runs';
import { JsonlFollower } from '../runs/jsonl-follower';

/** A file's damage note, or none when every line is good. */
export function damageNote(file: string, damage: JsonlDamage | undefined, goodRecords: number): string[] {
  return damage ? [describeJsonlDamage(file, damage, goodRecords)] : [];
}

export class RunHealth {
  private readonly followers = new Map<string, JsonlFollower[]>();

  /** One note per damaged file of the run in `runDir` (metrics, epochs, scores); empty when all are intact. */
  async notes(runDir: string): Promise<string[]> {
    let followers = this.followers.get(runDir);
    if (!followers) {
      // Only the count and the damage are kept: a follower's records go nowhere.
      const ignore = { record: () => undefined, reset: () => undefined };
      followers = Object.values(RUN_JSONL).map(({ file, isRecord }) => new JsonlFollower(join(runDir, file), isRecord, ignore));
      this.followers.set(runDir, followers);
    }
    const notes = await Promise.all(
      followers.map((follower) =>
        follower.refresh().then(
          () => damageNote(basename(follower.file), follower.damage, follower.records),
          // An unreadable file is said as such; the run is still listed.
          (error: unknown) => [`${cannotRead(basename(follower.file), error)}.`],
        ),
      ),
    );
    return notes.flat();
  }

  /** Drop a run's followers (the run was deleted). */
  forget(runDir: string): void {
    this.followers.delete(runDir);
  }
}
