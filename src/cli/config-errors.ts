/**
 * Hyper-parameter validation messages in the words the user typed: the CLI
 * flag first (the config field in brackets, as run.json names it), one line
 * per flag.
 */
import type { z } from 'zod';
import { CONFIG_FIELDS } from '../shared/config-fields';
import { configIssueLines } from '../shared/config-issue';

/** Config field → the `train` flag that sets it (from the one list in src/shared/config-fields.ts). */
export const CONFIG_FLAGS: Readonly<Record<string, string>> = Object.fromEntries(
  CONFIG_FIELDS.flatMap((field) => (field.flag ? [[field.key, field.flag]] : [])),
);

/** One line per offending field, named by its `train` flag with the config field in brackets. */
export function describeHyperParameterError(error: z.ZodError): string {
  return configIssueLines(error, (key) => (CONFIG_FLAGS[key] ? `${CONFIG_FLAGS[key]} (${key})` : key)).join('\n');
}
