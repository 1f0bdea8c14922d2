/**
 * `gan-studio bench`: the benchmarks of `npm run bench` as a command, so the
 * portable bundle can measure a machine that has no npm (docs/backends.md,
 * "Measuring a remote GPU box").
 */
import { help as benchHelp, run as runBench } from '../bench';
import { runQualityBench } from '../bench-quality';

export const help = benchHelp.replace('Usage: npm run bench -- ', 'Usage: gan-studio bench ');

/** Runs the bench the arguments name; returns the exit code. */
export function run(argv: string[]): Promise<number> {
  return argv.includes('--quality') ? runQualityBench(argv) : runBench(argv);
}
