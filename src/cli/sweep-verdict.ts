/**
 * A sweep's verdict: its runs grouped into arms (one per combination, its
 * seeds together), each later combination judged against the first with
 * `armVerdicts` — the same judgement Compare and the evidence pack make.
 * `formatSweepVerdict` is the one place it is printed.
 */
import { join } from 'node:path';
import { armVerdicts, groupArms, verdictLines, verdictRuleText, type Arm, type ArmRun, type ArmVerdicts } from '../shared/score-arms';
import { SCORE_SPECS } from '../shared/scores';
import { DEFAULT_VERDICT_RULE } from '../shared/verdict';
import { readRunJsonl, readRunRecord } from '../main/runs';

export interface SweepVerdict {
  arms: Arm[];
  verdicts: ArmVerdicts;
}

/** The arms of the sweep's runs (in plan order, so the first combination is the baseline) and their verdicts. */
export async function sweepVerdict(runsRoot: string, runIds: string[]): Promise<SweepVerdict> {
  const runs: ArmRun[] = [];
  const damage: string[] = [];
  for (const id of runIds) {
    const dir = join(runsRoot, id);
    const record = await readRunRecord(dir);
    const { records, note } = await readRunJsonl(dir, 'scores');
    if (note) damage.push(`${record.name}: ${note}`);
    // An arm is named by its combination: the seed is what its runs do not share.
    runs.push({ id, name: record.name.replace(/ · seed \d+$/, ''), config: record.config, datasetId: record.dataset.id, scores: records });
  }
  const arms = groupArms(runs);
  const [baseline, ...variants] = arms;
  if (!baseline) return { arms, verdicts: { lines: [], notes: ['The sweep has no runs.'], rule: DEFAULT_VERDICT_RULE, needSeeds: [] } };
  const verdicts = armVerdicts(baseline, variants, runs);
  return { arms, verdicts: { ...verdicts, notes: [...damage, ...verdicts.notes] } };
}

/** The verdict as the terminal shows it: one row per arm and score, then the sentences Compare shows, then the rule. */
export function formatSweepVerdict({ arms, verdicts }: SweepVerdict): string {
  if (verdicts.lines.length === 0) return `verdict: ${verdicts.notes.join(' ') || 'nothing to judge'}`;
  const label = (score: string) => SCORE_SPECS.find((spec) => spec.name === score)?.label ?? score;
  const rows = verdicts.lines.map((line) => [label(line.score), line.variant.name, fmt(line.variant.mean), fmt(line.variant.std), String(line.variant.seeds), fmt(line.baseline.mean), line.verdict.kind]);
  const header = ['score', 'arm', 'mean', '± std', 'seeds', `baseline (${arms[0]!.name})`, 'verdict'];
  const widths = header.map((title, column) => Math.max(title.length, ...rows.map((row) => row[column]!.length)));
  const table = [header, ...rows].map((row) => row.map((cell, column) => cell.padEnd(widths[column]!)).join('  ').trimEnd());
  return [`verdict at epoch ${verdicts.epoch} against ${arms[0]!.name}:`, ...table, '', ...verdictLines(verdicts).map((line) => `- ${line}`), '', verdictRuleText(verdicts.rule)].join('\n');
}

function fmt(value: number): string {
  return Math.abs(value) >= 100 ? value.toFixed(1) : value.toPrecision(3);
}
