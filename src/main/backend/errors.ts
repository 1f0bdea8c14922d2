import type { BackendName } from '../../shared/backends';
import { BACKEND_NAMES } from '../../shared/backends';

/** A backend the user forced (--backend / GAN_STUDIO_BACKEND) cannot be used. */
export class BackendError extends Error {
  override readonly name = 'BackendError';

  constructor(
    readonly backend: BackendName,
    readonly reason: string,
  ) {
    super(
      `cannot use the ${backend} backend: ${reason}. ` +
        `Pick another with --backend (${BACKEND_NAMES.join(', ')}) or unset GAN_STUDIO_BACKEND to choose automatically.`,
    );
  }
}

/** Thrown inside a backend loader: why this backend was skipped. */
export class BackendUnavailable extends Error {
  override readonly name = 'BackendUnavailable';
}
