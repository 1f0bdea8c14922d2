/**
 * node:util's parseArgs, with negative numbers taken as option values and a
 * "did you mean" for a mistyped option. On its own it refuses `--g-lr -1` as
 * "argument is ambiguous" (a value starting with a dash looks like another
 * option), so the user never saw the range message that `--g-lr=-1` gets.
 * Here a string option followed by a negative number takes it as its value,
 * and the command's own checks say what is allowed.
 */
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { suggestionHint } from './did-you-mean';

/** "-1", "-0.5", "-.5", "-2e-3": a negative number, never an option name. */
const NEGATIVE_NUMBER = /^-\.?\d/;

/** parseArgs over `config.args`, a negative number after a string option joined to it (`--epochs=-1`). */
export function parseCliArgs<T extends ParseArgsConfig & { args: string[] }>(config: T): ReturnType<typeof parseArgs<T>> {
  try {
    return parseArgs({ ...config, args: joinNegativeValues(config.args, config.options ?? {}) });
  } catch (error) {
    const hint = unknownOptionHint(error, config);
    if (hint) Object.assign(error as Error, { hint });
    throw error;
  }
}

/** For parseArgs' "Unknown option '--epoch'": the option meant, if one is close. */
function unknownOptionHint(error: unknown, config: ParseArgsConfig): string | undefined {
  if ((error as { code?: unknown }).code !== 'ERR_PARSE_ARGS_UNKNOWN_OPTION') return undefined;
  const typed = /Unknown option '(-{1,2}[^'=]+)/.exec((error as Error).message)?.[1];
  if (!typed) return undefined;
  const options = Object.entries(config.options ?? {});
  const names = options.flatMap(([name, option]) => [`--${name}`, ...(config.allowNegative && option.type === 'boolean' ? [`--no-${name}`] : [])]);
  return suggestionHint(typed, names);
}

/** `['--epochs', '-1']` → `['--epochs=-1']` for the string options in `options`; everything after `--` as it is. */
export function joinNegativeValues(args: readonly string[], options: NonNullable<ParseArgsConfig['options']>): string[] {
  const joined: string[] = [];
  for (let i = 0; i < args.length; i += 1) {
    const arg = args[i]!;
    if (arg === '--') return [...joined, ...args.slice(i)];
    const value = args[i + 1];
    const takesString = arg.startsWith('--') && options[arg.slice(2)]?.type === 'string';
    if (takesString && value !== undefined && NEGATIVE_NUMBER.test(value)) {
      joined.push(`${arg}=${value}`);
      i += 1;
    } else {
      joined.push(arg);
    }
  }
  return joined;
}
