/** A Slurm command failed or refused: the message quotes Slurm's own words; the hint says what to do. */
import { StudioError } from '../studio-service/errors';

export class SlurmError extends StudioError {
  override name = 'SlurmError';
}

/** Slurm cannot be reached from here at all: no sbatch on PATH, or its controller does not answer. */
export class SlurmUnavailableError extends SlurmError {
  override name = 'SlurmUnavailableError';
}
