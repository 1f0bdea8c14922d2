/** Training failures as values: a kind the UI can act on and a user-facing message. */
import type { FailureKind, SerializedError } from '../../shared/trainer-protocol';
import { describeFsError, isDiskFull } from '../runs';

/** A failure whose kind and message are already meant for the user. */
export class TrainingError extends Error {
  override name = 'TrainingError';

  constructor(
    readonly kind: FailureKind,
    message: string,
  ) {
    super(message);
  }
}

const OUT_OF_MEMORY = /out of memory|\bOOM\b|failed to allocate|allocation failed|Invalid typed array length|Array buffer allocation/i;
/** Error classes from other modules whose messages already explain bad input. */
const BAD_INPUT_NAMES = new Set(['DatasetError', 'RunDirError', 'ModelBuildError', 'ModelIOError', 'BackendError', 'OptimizerStateError', 'ZodError']);

/** Decide the failure kind of any thrown value and serialize it for the parent. */
export function classifyFailure(error: unknown): { kind: FailureKind; error: SerializedError } {
  const err = error instanceof Error ? error : new Error(String(error));
  // Some modules' errors carry what to do next in `hint` (DatasetError); it must cross the boundary too.
  const hint = (err as { hint?: unknown }).hint;
  const message = typeof hint === 'string' && hint ? `${err.message} ${hint}` : err.message;
  const serialized: SerializedError = { name: err.name, message, stack: err.stack };
  if (err instanceof TrainingError) return { kind: err.kind, error: serialized };
  if (isDiskFull(err)) {
    const file = (err as { path?: unknown }).path;
    return {
      kind: 'disk-full',
      error: {
        ...serialized,
        message:
          `The disk is full: could not write ${typeof file === 'string' ? file : 'a run file'} (${describeFsError(err)}). ` +
          'Free some space on that disk, then resume the run: it continues from its last checkpoint.',
      },
    };
  }
  if (OUT_OF_MEMORY.test(err.message)) {
    return {
      kind: 'out-of-memory',
      error: { ...serialized, message: `Out of memory: ${message} Try a smaller batch size or model (--batch-size, --filter-scale).` },
    };
  }
  if (BAD_INPUT_NAMES.has(err.name)) return { kind: 'bad-input', error: serialized };
  return { kind: 'error', error: serialized };
}
