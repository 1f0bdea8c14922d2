/**
 * Hyper-parameter validation messages in the words the user typed: the CLI
 * flag first (the config field in brackets, as run.json names it), one line
 * per flag.
 */
import type { z } from 'zod';
import { CONFIG_FIELDS } from '../shared/config-fields';

/** Config field → the `train` flag that sets it (from the one list in src/shared/config-fields.ts). */
export const CONFIG_FLAGS: Readonly<Record<string, string>> = Object.fromEntries(
  CONFIG_FIELDS.flatMap((field) => (field.flag ? [[field.key, field.flag]] : [])),
);

/**
 * One line per offending field. zod may report several bounds for one field
 * (`.int()` adds the safe-integer range, `.max()` chains keep the looser one
 * first); the last issue is the tightest, so that one is kept.
 */
export function describeHyperParameterError(error: z.ZodError): string {
  const byField = new Map<string, string>();
  for (const issue of error.issues) {
    const field = issue.path.join('.') || 'config';
    const flag = CONFIG_FLAGS[field];
    byField.set(field, `${flag ? `${flag} (${field})` : field}: ${issue.message}`);
  }
  return [...byField.values()].join('\n');
}
