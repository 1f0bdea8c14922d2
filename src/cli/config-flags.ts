/**
 * The `train` flags of every config field, from the one field list
 * (src/shared/config-fields.ts): the parseArgs options, the config they make,
 * the help lines, and a value written back as flags.
 */
import type { TrainingConfigInput } from '../shared/config';
import { fieldText, parseFieldText } from '../shared/config-field-text';
import { CONFIG_FIELDS, flagValueName, type ConfigField, type ConfigFieldGroup } from '../shared/config-fields';
import { CliError } from './cli-error';
import { suggestionHint } from './did-you-mean';
import { EXIT } from './exit-codes';

type FlagOption = { type: 'string' } | { type: 'boolean' };

const optionName = (field: ConfigField): string => field.flag.slice(2);

/** parseArgs options for every config field: a switch is a boolean (`--no-<flag>` turns it off), the rest take text. */
export const CONFIG_FLAG_OPTIONS: Readonly<Record<string, FlagOption>> = Object.fromEntries(
  CONFIG_FIELDS.map((field) => [optionName(field), field.kind === 'switch' ? { type: 'boolean' } : { type: 'string' }]),
);

/** What parseArgs gives for those options. */
export type ConfigFlagValues = Readonly<Record<string, string | boolean | string[] | boolean[] | undefined>>;

/**
 * The config the flags ask for (each value read by its field's kind; ranges and cross-field rules
 * are the schema's, checked on the whole config so every problem is listed at once). Without
 * --preset the CLI trains `quick`.
 */
export function configInputFromFlags(values: ConfigFlagValues): TrainingConfigInput {
  const input: Record<string, unknown> = { preset: 'quick' };
  for (const field of CONFIG_FIELDS) {
    const raw = values[optionName(field)];
    if (raw === undefined) continue;
    if (typeof raw === 'boolean') {
      input[field.key] = raw;
      continue;
    }
    const text = String(raw);
    const parsed = parseFieldText(field, text);
    if (!parsed.ok) {
      const close = field.kind === 'choice' || field.kind === 'flags' ? suggestionHint(parsed.got, field.options ?? []) : undefined;
      throw new CliError(`${field.flag} expects ${parsed.expected}, got "${parsed.got}".`, EXIT.usage, close);
    }
    input[field.key] = parsed.value;
  }
  return input as TrainingConfigInput;
}

/** `--ema 0.99`, `--spectral-norm` / `--no-spectral-norm`, `--diffaugment color,cutout`: what sets the field to `value`. */
export function flagArgs(field: ConfigField, value: unknown): string[] {
  if (field.kind === 'switch') return [value ? field.flag : `--no-${optionName(field)}`];
  return [field.flag, fieldText(field, value)];
}

/** Words of `text` in lines of at most `width` characters. */
function wrap(text: string, width: number): string[] {
  const lines: string[] = [];
  for (const word of text.split(' ')) {
    const last = lines.at(-1);
    if (last !== undefined && last.length + 1 + word.length <= width) lines[lines.length - 1] = `${last} ${word}`;
    else lines.push(word);
  }
  return lines;
}

/** Help for the fields of `group`: the flag and its value's placeholder, then what it does, in one column within 80 characters. */
export function configFlagHelp(group: ConfigFieldGroup, indent = '  ', column = 26): string {
  const pad = `${indent}${' '.repeat(column)}`;
  return CONFIG_FIELDS.filter((field) => field.group === group)
    .map((field) => {
      const name = flagValueName(field);
      const usage = `${indent}${field.flag}${name ? ` ${name}` : ''}`;
      const [first = '', ...rest] = wrap(field.help, 80 - pad.length);
      // A long placeholder (the loss names) gets a line of its own, so the descriptions stay in one column.
      const head = usage.length < pad.length - 1 ? `${usage.padEnd(pad.length)}${first}` : `${usage}\n${pad}${first}`;
      return [head, ...rest.map((line) => `${pad}${line}`)].join('\n');
    })
    .join('\n');
}
