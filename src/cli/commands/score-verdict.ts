/**
 * `gan-studio score RUN --baseline RUN`: the run's arm (it and the other seeds
 * of its config in its runs folder) against the baseline's arm, judged and
 * worded exactly as Compare and the evidence pack do (verdictLines).
 */
import { readArmRuns, readRunRecord } from '../../main/runs';
import { runAgainstBaseline, verdictLines, verdictRuleText, type Arm, type ArmRun } from '../../shared/score-arms';
import type { VerdictKind } from '../../shared/verdict';

/** What `--json` prints under `verdict`. */
export interface VerdictReport {
  baseline: { id: string; name: string; seeds: number };
  run: { id: string; name: string; seeds: number };
  /** The epoch judged: the newest both picked runs have scored. */
  epoch?: number;
  lines: { score: string; kind: VerdictKind; sentence: string; p?: number; pAdjusted?: number }[];
  notes: string[];
  rule: string;
}

/** Judge the run in `runDir` against the run in `baselineDir`: the report for `--json` and the text to print. */
export async function judgeAgainstBaseline(runDir: string, baselineDir: string): Promise<{ report: VerdictReport; text: string }> {
  const { runs: own, notes: ownNotes } = await readArmRuns({ dir: runDir, record: await readRunRecord(runDir) });
  const { runs: base, notes: baseNotes } = await readArmRuns({ dir: baselineDir, record: await readRunRecord(baselineDir) });
  const { ownArm, baseArm, result } = runAgainstBaseline(own, base);
  const who = (run: ArmRun, arm: Arm | undefined) => ({ id: run.id, name: run.name, seeds: arm?.runs.length ?? 0 });
  const report: VerdictReport = {
    baseline: who(base[0]!, baseArm),
    run: who(own[0]!, ownArm),
    ...(result.epoch !== undefined ? { epoch: result.epoch } : {}),
    lines: result.lines.map(({ score, verdict }) => ({
      score,
      kind: verdict.kind,
      sentence: verdict.sentence,
      ...(verdict.test ? { p: verdict.test.p, pAdjusted: verdict.test.pAdjusted } : {}),
    })),
    notes: [...ownNotes, ...baseNotes.map((note) => `baseline: ${note}`), ...result.notes],
    rule: verdictRuleText(result.rule),
  };
  const arm = (side: VerdictReport['run']) => `“${side.name}” (${side.seeds} seed${side.seeds === 1 ? '' : 's'})`;
  const header = `Verdict: ${arm(report.run)} against the baseline ${arm(report.baseline)}${result.epoch !== undefined ? ` at epoch ${result.epoch}` : ''}`;
  return { report, text: [header, ...verdictLines(result).map((line) => `  ${line}`), report.rule].join('\n') };
}
