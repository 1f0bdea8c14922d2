import { EXIT } from './exit-codes';

/** A user-facing CLI failure with its exit code and an optional hint. */
export class CliError extends Error {
  override name = 'CliError';
  constructor(
    message: string,
    readonly exitCode: number = EXIT.usage,
    readonly hint?: string,
  ) {
    super(message);
  }
}
