/**
 * One event file per trainer session, as TensorFlow's writers make them:
 * events.out.tfevents.<unix seconds>.<host> in the run folder, opened with
 * its file_version event and appended to record by record. A resumed run
 * gets a new file; TensorBoard reads all of a folder's files in order.
 */
import { appendFile, writeFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { encodeEvent, FILE_VERSION, frameRecord, type EventBody } from './events';

/** Appends events to one file; each append is whole records, so a crash leaves at most one torn record (readers stop there). */
export class EventFile {
  private constructor(readonly path: string) {}

  /** Create a new event file in `dir` (a second one in the same second gets a .1, .2 … suffix). */
  static async create(dir: string, now: () => number = Date.now): Promise<EventFile> {
    const wallTime = now() / 1000;
    const base = join(dir, `events.out.tfevents.${Math.floor(wallTime)}.${hostname()}`);
    const first = frameRecord(encodeEvent(wallTime, 0, { fileVersion: FILE_VERSION }));
    for (let attempt = 0; ; attempt += 1) {
      const path = attempt === 0 ? base : `${base}.${attempt}`;
      try {
        await writeFile(path, first, { flag: 'wx' });
        return new EventFile(path);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST' || attempt >= 100) throw error;
      }
    }
  }

  /** Append events (time in ms since the epoch, global step, body) in one write. */
  async append(events: { time: number; step: number; body: EventBody }[]): Promise<void> {
    if (events.length === 0) return;
    const records = events.map((event) => frameRecord(encodeEvent(event.time / 1000, event.step, event.body)));
    await appendFile(this.path, Buffer.concat(records));
  }
}
