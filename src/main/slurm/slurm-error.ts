/** A Slurm command failed or refused: the message quotes Slurm's own words; the hint says what to do. */
import { StudioError } from '../studio-service/errors';

export class SlurmError extends StudioError {
  override name = 'SlurmError';
}
