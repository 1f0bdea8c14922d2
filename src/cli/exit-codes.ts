/** Exit codes every gan-studio command uses (documented in README). */
export const EXIT = {
  ok: 0,
  /** Training or export ran and failed (NaN loss, crashed trainer, ffmpeg error). */
  failed: 1,
  /** Bad arguments or unusable input (dataset, config, run folder). */
  usage: 2,
  /** A required tool or backend is missing (forced backend cannot load, no ffmpeg). */
  unavailable: 3,
  /** Stopped by the user (Ctrl-C); a checkpoint was saved where possible. */
  interrupted: 130,
} as const;
