/** Errors from any transport, normalised so views can show a message and a hint. */
import type { StudioErrorPayload } from '../../../shared/api';

/** A failed StudioApi call, carrying the server's user-facing message and hint. */
export class StudioError extends Error {
  readonly hint?: string;

  constructor(payload: StudioErrorPayload) {
    super(payload.message);
    this.name = payload.name || 'StudioError';
    this.hint = payload.hint;
  }
}

/**
 * Electron's ipcRenderer.invoke wraps a rejected handler's error as
 * "Error invoking remote method 'x': Error: message"; strip that wrapper so
 * the user reads only what the studio said.
 */
export function describeError(error: unknown): { message: string; hint?: string } {
  if (error instanceof StudioError) return { message: error.message, hint: error.hint };
  const raw = error instanceof Error ? error.message : String(error);
  const message = raw.replace(/^Error invoking remote method '[^']+': (?:\w*Error: )?/, '');
  const hint = typeof (error as { hint?: unknown })?.hint === 'string' ? (error as { hint: string }).hint : undefined;
  return hint === undefined ? { message } : { message, hint };
}
