/**
 * `gan-studio evidence`: the folder a learner hands in — one self-contained
 * HTML page with the progress GIF, the charts with the 0.5 line, the final
 * grid and, given a baseline, the side-by-side grids and config diff.
 */
import { parseCliArgs } from '../parse-args';
import { writeEvidence } from '../../main/export/index';
import { CliError } from '../cli-error';
import { EXIT } from '../exit-codes';
import { runDirArg } from '../run-arg';
import { runWithProgress } from './export';

export const help = `Usage: gan-studio evidence RUN_DIR [--baseline RUN_DIR] --out DIR

Write an evidence pack for a run (a run folder, or a run id in the runs folder)
into DIR: index.html (one self-contained page, no scripts, no external links)
with the sample grid after every epoch as a GIF, the loss and real/fake
accuracy charts (dashed 0.5 line), the final grid and a short numeric summary.
With --baseline it adds the baseline's and this run's final grids side by side
(saying whether they share latent vectors), the fake accuracy of both runs on
one chart, the config differences and, when the runs were scored, the verdict
per score (also printed here).

DIR must be new, empty, or an earlier evidence pack (which is replaced).

Options:
  --baseline DIR  The run the change is measured against
  --out DIR       Where to write the pack (required)
  -h, --help      Show this help

Exit codes: 0 written, 1 failed, 2 bad arguments or run folder, 3 no ffmpeg,
130 cancelled (nothing partial is kept).`;

const USAGE_HINT = 'Run "gan-studio evidence --help" for the options.';

function parse(argv: string[]): { runDir: string; baseline?: string; out: string } {
  let parsed;
  try {
    parsed = parseCliArgs({ args: argv, options: { baseline: { type: 'string' }, out: { type: 'string' } }, strict: true, allowPositionals: true });
  } catch (error) {
    throw new CliError((error as Error).message, EXIT.usage, USAGE_HINT);
  }
  const { values, positionals } = parsed;
  if (positionals.length !== 1) throw new CliError(`Expected one RUN_DIR, got ${positionals.length}.`, EXIT.usage, USAGE_HINT);
  if (!values.out) throw new CliError('Expected --out DIR: the folder to write the evidence pack into.', EXIT.usage, USAGE_HINT);
  return { runDir: runDirArg(positionals[0]!), baseline: values.baseline === undefined ? undefined : runDirArg(values.baseline), out: values.out };
}

/** Runs the command; returns the exit code. */
export async function run(argv: string[]): Promise<number> {
  let verdict: string[] = [];
  const code = await runWithProgress(async (signal, onProgress) => {
    const args = parse(argv);
    const result = await writeEvidence({ runDir: args.runDir, baselineRunDir: args.baseline, outDir: args.out, signal, onProgress });
    const scores = result.scores;
    if (args.baseline && scores) {
      // The page's verdict word for word: the sentences Compare and "gan-studio score --baseline" print.
      verdict = ['Verdict against the baseline:', ...[...scores.verdicts, ...scores.notes].map((line) => `  ${line}`), scores.rule];
    }
    return { summary: `Wrote ${result.index} (${result.files.length} files). Open it in a browser, or hand in the whole folder.`, notes: result.notes };
  });
  if (verdict.length) console.log(verdict.join('\n'));
  return code;
}
