/**
 * A schema refusal of a training setting in words a person reads: the
 * setting's name and the rule it broke ("--epochs (epochs) must be a whole
 * number."), never zod's own text ("Invalid input: expected int, received
 * number"). The New run form, `train`'s flags, `summary`, sweeps and a
 * resume's new length all say it this way.
 */
import type { z } from 'zod';
import { CONFIG_FIELDS, configFieldLabel } from './config-fields';

const count = (n: number): string => n.toLocaleString('en-US');
const WHOLE_NUMBER_KEYS = new Set<string>(CONFIG_FIELDS.filter((f) => f.kind === 'integer' || f.kind === 'steps').map((f) => f.key));
/** `issue` of the setting `key`, called `name`: the rule it broke. Whole-number settings say "at least 1", not "more than 0". */
export function configIssueWords(key: string, name: string, issue: z.core.$ZodIssue): string {
  const whole = WHOLE_NUMBER_KEYS.has(key);
  switch (issue.code) {
    case 'invalid_type':
      return issue.expected === 'int' ? `${name} must be a whole number.` : `${name} must be a number.`;
    case 'too_small': {
      const min = Number(issue.minimum);
      if (issue.inclusive || whole) return `${name} must be at least ${count(issue.inclusive ? min : Math.floor(min) + 1)}.`;
      return `${name} must be more than ${count(min)}.`;
    }
    case 'too_big': {
      const max = Number(issue.maximum);
      if (issue.inclusive || whole) return `${name} must be at most ${count(issue.inclusive ? max : Math.ceil(max) - 1)}.`;
      return `${name} must be less than ${count(max)}.`;
    }
    case 'not_multiple_of':
      return `${name} must be a multiple of ${String(issue.divisor)}.`;
    case 'invalid_value':
      return `${name} must be one of ${issue.values.map(String).join(', ')}.`;
    // Cross-field rules (config.ts) write their message for people already.
    case 'custom':
      return `${name}: ${issue.message}`;
    default:
      return `${name} is not a value this setting takes.`;
  }
}

/**
 * One line per refused setting of a training config, named by `name` (the form's label by
 * default, a CLI its flag). zod may report several bounds for one field (`.int()` adds the
 * safe-integer range, chained `.max()`s keep the looser one first); the last is the tightest, so
 * that one is kept. `field`: the setting an error of one field's own schema is about (its issues have no path).
 */
export function configIssueLines(error: z.ZodError, name: (key: string) => string = configFieldLabel, field?: string): string[] {
  const byField = new Map<string, string>();
  for (const issue of error.issues) {
    const key = issue.path.join('.') || field || 'config';
    byField.set(key, configIssueWords(key, name(key), issue));
  }
  return [...byField.values()];
}
