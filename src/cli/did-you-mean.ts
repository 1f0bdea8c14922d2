/**
 * "Did you mean …?" for a mistyped command, flag or choice: the closest
 * known word by edit distance (a swap of two neighbours counts as one edit,
 * so "trian" is one step from "train"), when it is close enough to be a typo.
 */

/** Optimal string alignment distance: insertions, deletions, substitutions and adjacent swaps cost 1. */
export function editDistance(a: string, b: string): number {
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) => Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
  for (let i = 1; i <= a.length; i += 1) {
    for (let j = 1; j <= b.length; j += 1) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      d[i]![j] = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d[i]![j] = Math.min(d[i]![j]!, d[i - 2]![j - 2]! + 1);
    }
  }
  return d[a.length]![b.length]!;
}

/**
 * The candidate `input` most likely meant: the one nearest, within a third of its length (at least
 * one edit), or else the only candidate it begins ("gen" → "generate"); none when nothing is close,
 * two are equally close, or `input` is a candidate already.
 */
export function closest(input: string, candidates: readonly string[]): string | undefined {
  const typed = input.toLowerCase();
  const lowered = candidates.map((candidate) => candidate.toLowerCase());
  if (lowered.includes(typed)) return undefined;
  const distances = lowered.map((candidate) => editDistance(typed, candidate));
  const best = Math.min(...distances);
  const nearest = candidates.filter((_, i) => distances[i] === best);
  if (best <= Math.max(1, Math.floor(typed.length / 3))) return nearest.length === 1 ? nearest[0] : undefined;
  const extended = candidates.filter((_, i) => typed.length >= 3 && lowered[i]!.startsWith(typed));
  return extended.length === 1 ? extended[0] : undefined;
}

/** `Did you mean "train"?` for the closest candidate, or undefined. */
export function suggestionHint(input: string, candidates: readonly string[]): string | undefined {
  const match = closest(input, candidates);
  return match === undefined ? undefined : `Did you mean "${match}"?`;
}
