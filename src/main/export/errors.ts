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

/** Throw ExportCancelledError when the signal has fired. */
export function throwIfCancelled(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw new ExportCancelledError();
}
