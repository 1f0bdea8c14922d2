/**
 * Errors that cross the UI boundary. Every failed call reaches the UI as a
 * StudioErrorPayload { name, message, hint? } — never a raw stack trace.
 */
import type { StudioErrorPayload } from '../../shared/api';

/** A user-facing failure with an optional "what to do next". */
export class StudioError extends Error {
  override name = 'StudioError';
  constructor(
    message: string,
    readonly hint?: string,
  ) {
    super(message);
  }
}

/** The caller sent arguments that do not match the call's schema. */
export class InvalidArgumentError extends StudioError {
  override name = 'InvalidArgumentError';
}

/** A run or dataset id that does not exist. */
export class NotFoundError extends StudioError {
  override name = 'NotFoundError';
}

/** A path the caller may not touch (outside the allowed roots). */
export class AccessDeniedError extends StudioError {
  override name = 'AccessDeniedError';
}

/** Turn anything thrown into the payload the UI shows: name, message, hint. */
export function toErrorPayload(error: unknown): StudioErrorPayload {
  if (error instanceof Error) {
    const hint = (error as { hint?: unknown }).hint;
    return {
      name: error.name || 'Error',
      message: error.message || String(error),
      ...(typeof hint === 'string' && hint ? { hint } : {}),
    };
  }
  return { name: 'Error', message: String(error) };
}
