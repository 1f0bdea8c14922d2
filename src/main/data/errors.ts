import { printable } from '../../shared/printable';

/**
 * The one error type importers throw for bad input: a user-facing message
 * ("expected …, got …") plus a hint saying what to do next. Callers show
 * both and never a stack trace. Both are one line, with control characters
 * escaped (they often quote file names, which may hold any byte).
 */
/** Which front end shows an error: its hint names that front end's controls (flags or fields). */
export type FrontEnd = 'cli' | 'gui';

/** A hint that is the same everywhere, or one per front end. */
export type Hint = string | Record<FrontEnd, string>;

export class DatasetError extends Error {
  override readonly name = 'DatasetError';
  /** What the user can do about it, in the words of the front end set by speakTo (default: the GUI's). */
  hint?: string;
  private readonly hints?: Record<FrontEnd, string>;

  constructor(message: string, hint?: Hint) {
    super(printable(message));
    if (hint !== undefined) this.hints = typeof hint === 'string' ? { cli: hint, gui: hint } : hint;
    this.speakTo('gui');
  }

  /** Picks the hint for the front end that shows this error; returns the error. */
  speakTo(frontEnd: FrontEnd): this {
    const hint = this.hints?.[frontEnd];
    this.hint = hint === undefined ? undefined : printable(hint);
    return this;
  }
}

/** Formats a byte count for messages (1.5 MB). */
export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  const units = ['KB', 'MB', 'GB', 'TB'];
  let value = bytes;
  let unit = -1;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${value.toFixed(value < 10 ? 1 : 0)} ${units[unit]}`;
}
