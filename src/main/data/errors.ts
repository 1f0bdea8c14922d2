import { printable } from '../../shared/printable';

/**
 * The one error type importers throw for bad input: a user-facing message
 * ("expected …, got …") plus a hint saying what to do next. Callers show
 * both and never a stack trace. Both are one line, with control characters
 * escaped (they often quote file names, which may hold any byte).
 */
export class DatasetError extends Error {
  override readonly name = 'DatasetError';
  /** What the user can do about it. */
  readonly hint?: string;

  constructor(message: string, hint?: string) {
    super(printable(message));
    this.hint = hint === undefined ? undefined : printable(hint);
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
