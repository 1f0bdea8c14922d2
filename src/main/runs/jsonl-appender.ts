/**
 * The one synchronous writer of the run's jsonl files (metrics, epochs,
 * scores). Its own module because the desktop app's GPU host page swaps it
 * for one that asks the main process to append (renderer/gpu-host/io/).
 */
import { closeSync, fstatSync, ftruncateSync, openSync, readSync, writeSync } from 'node:fs';

/**
 * Appends records synchronously, one write per line, so a line reaches the
 * OS as soon as the step ends (a SIGKILL loses at most the line in flight).
 */
export class JsonlAppender {
  private fd: number | undefined;

  constructor(readonly file: string) {
    this.fd = openSync(file, 'a+');
    dropTornTail(this.fd);
  }

  append(record: object): void {
    if (this.fd === undefined) throw new Error(`${this.file} is closed`);
    writeSync(this.fd, JSON.stringify(record) + '\n');
  }

  close(): void {
    if (this.fd !== undefined) closeSync(this.fd);
    this.fd = undefined;
  }
}

/** Cut a torn last line (no trailing newline) left by a killed writer, so appends start clean. */
function dropTornTail(fd: number): void {
  const size = fstatSync(fd).size;
  if (size === 0) return;
  // Records are far smaller than this window, so the last newline is inside it.
  const window = Math.min(size, 1 << 20);
  const tail = Buffer.alloc(window);
  readSync(fd, tail, 0, window, size - window);
  if (tail[window - 1] === 0x0a) return;
  const lastNewline = tail.lastIndexOf(0x0a);
  ftruncateSync(fd, lastNewline < 0 ? 0 : size - window + lastNewline + 1);
}
