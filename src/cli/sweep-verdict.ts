/**
 * A sweep's verdict: its runs grouped into arms (one per combination, its
 * seeds together), each later combination judged against the first with
 * `armVerdicts` — the same judgement Compare and the evidence pack make.
 * `formatSweepVerdict` is the one place it is printed.
 */
import { join } from 'node:path';
import { armVerdicts, groupArms, type Arm, type ArmRun, type ArmVerdicts } from '../shared/score-arms';
import { SCORE_SPECS } from '../shared/scores';
import { readRunRecord, readRunScores } from '../main/runs';

export interface SweepVerdict {
  arms: Arm[];
  verdicts: ArmVerdicts;
}

/** The arms of the sweep's runs (in plan order, so the first combination is the baseline) and their verdicts. */
export async function sweepVerdict(runsRoot: string, runIds: string[]): Promise<SweepVerdict> {
  const runs: ArmRun[] = [];
  for (const id of runIds) {
    const dir = join(runsRoot, id);
    const record = await readRunRecord(dir);
    // An arm is named by its combination: the seed is what its runs do not share.
    runs.push({ id, name: record.name.replace(/ · seed \d+$/, ''), config: record.config, datasetId: record.dataset.id, scores: await readRunScores(dir) });
  }
  const arms = groupArms(runs);
  const [baseline, ...variants] = arms;
  if (!baseline) return { arms, verdicts: { lines: [], note: 'The sweep has no runs.' } };
  return { arms, verdicts: armVerdicts(baseline, variants, runs) };
}

/** The verdict as the terminal shows it: one row per arm and score, then each verdict's sentence. */
export function formatSweepVerdict({ arms, verdicts }: SweepVerdict): string {
  if (verdicts.lines.length === 0) return `verdict: ${verdicts.note ?? 'nothing to judge'}`;
  const label = (score: string) => SCORE_SPECS.find((spec) => spec.name === score)?.label ?? score;
  const rows = verdicts.lines.map((line) => [label(line.score), line.variant.name, fmt(line.variant.mean), fmt(2 * line.variant.standardError), String(line.variant.seeds), fmt(line.baseline.mean), line.verdict.kind]);
  const header = ['score', 'arm', 'mean', '±2SE', 'seeds', `baseline (${arms[0]!.name})`, 'verdict'];
  const widths = header.map((title, column) => Math.max(title.length, ...rows.map((row) => row[column]!.length)));
  const table = [header, ...rows].map((row) => row.map((cell, column) => cell.padEnd(widths[column]!)).join('  ').trimEnd());
  return [`verdict at epoch ${verdicts.epoch} against ${arms[0]!.name}:`, ...table, '', ...verdicts.lines.map((line) => `- ${line.verdict.sentence}`)].join('\n');
}

function fmt(value: number): string {
  return Math.abs(value) >= 100 ? value.toFixed(1) : value.toPrecision(3);
}
