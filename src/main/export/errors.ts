import { describeFsError, errorCode, isDiskFull } from '../runs';

/**
 * Export failures as values with a user-facing message and, where we know
 * it, what to do next. The CLI and the UI show `message` and `hint`.
 */

/** An export could not be produced (ffmpeg failed, disk error). */
export class ExportError extends Error {
  override name = 'ExportError';
  constructor(
    message: string,
    readonly hint?: string,
  ) {
    super(message);
  }
}

/** The input is unusable: not a run folder, no sample grids, bad option. */
export class ExportInputError extends ExportError {
  override name = 'ExportInputError';
}

/** The user cancelled; nothing partial was left behind. */
export class ExportCancelledError extends ExportError {
  override name = 'ExportCancelledError';
  constructor() {
    super('Export cancelled; no partial file was kept.');
  }
}

/** No working ffmpeg was found; the message lists every place tried. */
export class FfmpegNotFoundError extends ExportError {
  override name = 'FfmpegNotFoundError';
}

const DISK_FULL_HINT = 'Free some space on that disk, then export again; nothing partial was kept.';

/** The ExportError for ffmpeg's "No space left on device" (its output could not be written). */
export function ffmpegDiskFull(): ExportError {
  return new ExportError('The disk is full: ffmpeg could not write the export.', DISK_FULL_HINT);
}

/**
 * Any failure of an export as the user should see it: a full disk (ENOSPC/EDQUOT) or an
 * unreadable/unwritable file named with its cause; ExportErrors and other errors as they are.
 */
export function explainExportFailure(error: unknown): unknown {
  if (error instanceof ExportError) return error;
  const file = (error as { path?: unknown } | null)?.path;
  const where = typeof file === 'string' ? ` (${file})` : '';
  // sharp (libvips) reports the errno only in its message.
  const diskFullMessage = error instanceof Error && /No space left on device|Disk quota exceeded/i.test(error.message);
  if (isDiskFull(error) || diskFullMessage) return new ExportError(`The disk is full: could not write the export${where}.`, DISK_FULL_HINT);
  if (errorCode(error) && typeof file === 'string') return new ExportError(`Export failed: ${describeFsError(error)}: ${file}.`);
  return error;
}

/** Throw ExportCancelledError when the signal has fired. */
export function throwIfCancelled(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw new ExportCancelledError();
}
