/**
 * gan-studio CLI entry: dispatches to one module per command. Commands load
 * lazily so `--help` is instant and TensorFlow.js loads only when needed.
 */
import { EXIT } from './exit-codes';
import { printable, printableLines } from '../shared/printable';
import { CliError } from './cli-error';
import { needsDawnFilter, runWithDawnFiltered } from './dawn-quiet';
import { suggestionHint } from './did-you-mean';

interface Command {
  summary: string;
  load(): Promise<{ help: string; run(argv: string[]): Promise<number> }>;
}

const COMMANDS: Record<string, Command> = {
  train: { summary: 'Train a GAN on a dataset (default: the built-in Fashion-MNIST sample)', load: () => import('./commands/train') },
  sweep: { summary: 'One run per combination of --vary values and seed, here or as a Slurm job array', load: () => import('./commands/sweep') },
  'inspect-data': { summary: 'Import a dataset and print its report', load: () => import('./commands/inspect-data') },
  summary: { summary: "Print a preset's generator and discriminator (Keras-style table)", load: () => import('./commands/summary') },
  serve: { summary: 'Serve the studio UI in a browser (loopback, token-protected)', load: () => import('./commands/serve') },
  export: { summary: "Export a run's progress as GIF/MP4/WebM, charts, CSV or the generator", load: () => import('./commands/export') },
  score: { summary: 'Quality scores (FID, KID, SWD, precision, recall, recognisable %) of a run or an image folder', load: () => import('./commands/score') },
  generate: { summary: "Draw fresh samples or a latent interpolation from a run's saved generator", load: () => import('./commands/generate') },
  doctor: { summary: 'Why is my GPU not used? Which backends load, why not, and the fix', load: () => import('./commands/doctor') },
  evidence: { summary: 'Write a self-contained HTML evidence page for a run (and a baseline)', load: () => import('./commands/evidence') },
  bench: { summary: 'Measure training speed per backend (images/s), optionally with the doctor report', load: () => import('./commands/bench') },
  'train-job': { summary: "Train a run folder inside a Slurm job (what the run's job script runs)", load: () => import('./commands/train-job') },
};

export const USAGE = `Usage: gan-studio <command> [options]

Commands:
${Object.entries(COMMANDS)
  .map(([name, command]) => `  ${name.padEnd(14)}${command.summary}`)
  .join('\n')}

Run "gan-studio <command> --help" for a command's options.
Exit codes: 0 ok, 1 failed, 2 bad arguments or input, 3 missing backend/tool, 130 interrupted.`;

/** Runs one CLI invocation and returns its exit code. */
export async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    console.log(USAGE);
    return name ? EXIT.ok : EXIT.usage;
  }
  const command = Object.hasOwn(COMMANDS, name) ? COMMANDS[name] : undefined;
  if (!command) {
    const hint = suggestionHint(name, Object.keys(COMMANDS));
    console.error(`Unknown command "${printable(name)}".${hint ? ` ${hint}` : ''}\n\n${USAGE}`);
    return EXIT.usage;
  }
  const module = await command.load();
  if (rest.includes('--help') || rest.includes('-h')) {
    console.log(module.help);
    return EXIT.ok;
  }
  if (needsDawnFilter(argv)) return runWithDawnFiltered(argv);
  try {
    return await module.run(rest);
  } catch (error) {
    // parseArgs says what is wrong ("Unknown option '--x'") but not where the options are listed.
    if (isParseArgsError(error)) {
      const suggestion = (error as { hint?: unknown }).hint;
      const help = `Run "gan-studio ${name} --help" for its options.`;
      Object.assign(error as Error, { hint: typeof suggestion === 'string' ? `${suggestion} ${help}` : help });
    }
    return reportError(error);
  }
}

/** Print an error the way a user needs it: message and hint, no stack unless DEBUG is set. */
export function reportError(error: unknown): number {
  const err = error instanceof Error ? error : new Error(String(error));
  // Messages quote paths and names: no control character reaches the terminal raw.
  console.error(`Error: ${printableLines(err.message)}`);
  const hint = (err as { hint?: unknown }).hint;
  if (typeof hint === 'string') console.error(`Hint: ${printableLines(hint)}`);
  if (process.env.DEBUG) console.error(err.stack);
  return err instanceof CliError ? err.exitCode : exitCodeFor(err);
}

/** node:util parseArgs: unknown option, missing or ambiguous value. */
function isParseArgsError(error: unknown): boolean {
  return error instanceof Error && String((error as { code?: unknown }).code).startsWith('ERR_PARSE_ARGS');
}

function exitCodeFor(error: Error): number {
  if (isParseArgsError(error)) return EXIT.usage;
  // RunDirError: the path given is not a (readable) run folder — bad input, as README's exit codes say.
  if (['DatasetError', 'ZodError', 'ConfigError', 'RunDirError', 'SweepError'].includes(error.name)) return EXIT.usage;
  if (error.name === 'SlurmUnavailableError') return EXIT.unavailable;
  if (error.name === 'BackendError' || error.name === 'FfmpegNotFoundError') return EXIT.unavailable;
  return EXIT.failed;
}
