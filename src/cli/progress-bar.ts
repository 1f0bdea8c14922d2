/**
 * A one-line terminal progress display. On a TTY it redraws in place, and
 * every redraw and the finishing line erase what is left of the longer line
 * before it (else "16×16×1" over "10000/10000" read "16×16×1000"); when
 * output is piped (CI, logs) it prints a plain line at most every few seconds.
 */
import { printable } from '../shared/printable';

export interface ProgressLine {
  update(fraction: number, text: string): void;
  /** Finish the line (keeps the last state visible). */
  done(text?: string): void;
  /** Erase a bar being drawn, so other output starts on a clean line. */
  clear(): void;
}

/** ANSI "erase to the end of the line". */
const ERASE_LINE_END = '\x1b[K';

/** Set by a parent whose stderr is a terminal for a child whose stderr it filters (dawn-quiet.ts): that child draws as on the terminal. */
export const PARENT_TTY_COLUMNS_ENV = 'GAN_STUDIO_PARENT_TTY_COLUMNS';

export function createProgressLine(stream: Pick<NodeJS.WriteStream, 'isTTY' | 'columns' | 'write'> = process.stderr, width = 24): ProgressLine {
  const parentColumns = stream === process.stderr ? process.env[PARENT_TTY_COLUMNS_ENV] : undefined;
  const tty = Boolean(stream.isTTY) || parentColumns !== undefined;
  let lastPlain = 0;
  let last = '';
  // Progress text names datasets and files: printable() keeps it on its one line.
  const render = (fraction: number, text: string): string => {
    const clamped = Math.max(0, Math.min(1, Number.isFinite(fraction) ? fraction : 0));
    const filled = Math.round(clamped * width);
    return `[${'#'.repeat(filled)}${'-'.repeat(width - filled)}] ${(clamped * 100).toFixed(0).padStart(3)}% ${printable(text)}`;
  };
  return {
    update(fraction, text) {
      last = render(fraction, text);
      if (tty) {
        // A terminal of unknown width (a pty with no size, as under `script`) reports 0 columns: that is not a width.
        const columns = stream.columns || Number(parentColumns) || 120;
        stream.write(`\r${last.slice(0, columns - 1)}${ERASE_LINE_END}`);
      } else if (Date.now() - lastPlain > 5000) {
        lastPlain = Date.now();
        stream.write(`${last}\n`);
      }
    },
    done(text) {
      const line = text === undefined ? last : printable(text);
      stream.write(tty ? `\r${line}${ERASE_LINE_END}\n` : `${line}\n`);
    },
    clear() {
      if (tty) stream.write(`\r${ERASE_LINE_END}`);
    },
  };
}

/** "1h 02m", "3m 05s", "12s" */
export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds < 0) return '--';
  const s = Math.round(seconds);
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m ${String(s % 60).padStart(2, '0')}s`;
  return `${Math.floor(s / 3600)}h ${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}m`;
}
