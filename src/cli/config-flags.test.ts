/**
 * The one field list is the source of every config field's flag, help line,
 * form field and labels: each field's flag parses (through `train`'s own
 * options) to the field and back — value → flag text → value — and the field
 * appears in the help, the form and the labels. A new field that misses one
 * of them fails here, whatever its kind.
 */
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { trainingConfigInputSchema, trainingConfigSchema } from '../shared/config';
import { configValueFromFlag, fieldText, parseFieldText } from '../shared/config-field-text';
import { CONFIG_FIELDS, configFieldLabel, isRecipeOff, RECIPE_FIELDS, type ConfigField } from '../shared/config-fields';
import { settingPhrase } from '../shared/run-name';
import { FIELDS } from '../renderer/src/lib/config-form';
import { help, OPTIONS } from './commands/train';
import { configInputFromFlags, flagArgs } from './config-flags';
import { parseCliArgs } from './parse-args';

const inputSchema = (key: string): z.ZodType => (trainingConfigInputSchema.shape as Record<string, z.ZodType>)[key]!;

/** The number schema under .optional() / .default(). */
function numberSchema(key: string): z.ZodNumber {
  let schema: z.ZodType = inputSchema(key);
  while (schema instanceof z.ZodOptional || schema instanceof z.ZodDefault) schema = schema.unwrap() as z.ZodType;
  return schema as z.ZodNumber;
}

/** Values the field's schema accepts, of every shape its kind has (both states of a switch, an empty list). */
function examples(field: ConfigField): unknown[] {
  switch (field.kind) {
    case 'integer': {
      const { minValue, maxValue } = numberSchema(field.key);
      return [Math.min(maxValue ?? Infinity, Math.max(minValue ?? 0, 0) + 3)];
    }
    case 'number': {
      const { minValue, maxValue } = numberSchema(field.key);
      const low = minValue ?? 0;
      return [low + ((maxValue ?? low + 4) - low) / 4];
    }
    case 'choice':
      return [...(field.options ?? [])];
    case 'flags':
      return [[...(field.options ?? [])], [field.options?.[0]], []];
    case 'steps':
      return [[2, 20], []];
    case 'switch':
      return [true, false];
  }
}

const parseFlags = (args: string[]) => parseCliArgs({ args, options: OPTIONS, strict: true, allowPositionals: false, allowNegative: true }).values;

describe('one list of config fields', () => {
  it('holds every config field once, and every recipe with an "off" value the schema accepts', () => {
    expect(CONFIG_FIELDS.map((field) => field.key).sort()).toEqual(Object.keys(trainingConfigSchema.shape).sort());
    expect(new Set(CONFIG_FIELDS.map((field) => field.flag)).size).toBe(CONFIG_FIELDS.length);
    for (const field of RECIPE_FIELDS) {
      expect(inputSchema(field.key).safeParse(field.off).success, field.key).toBe(true);
      expect(isRecipeOff(field, field.off)).toBe(true);
    }
  });

  for (const field of CONFIG_FIELDS) {
    describe(`${field.key} (${field.flag})`, () => {
      it('parses from its flag to the field and back: value → flag text → value', () => {
        for (const value of examples(field)) {
          expect(inputSchema(field.key).safeParse(value).success, `${field.key} example ${JSON.stringify(value)}`).toBe(true);
          const args = flagArgs(field, value);
          expect(configInputFromFlags(parseFlags(args))[field.key], args.join(' ')).toEqual(value);
          // The same text through the form's and the sweep's readers.
          const text = fieldText(field, value);
          expect(parseFieldText(field, text)).toEqual({ ok: true, value });
          expect(configValueFromFlag(field.flag, text)).toEqual({ key: field.key, value });
        }
      });

      it('appears in the help, the form and the labels', () => {
        expect(help).toContain(`\n  ${field.flag}`);
        expect(help.replace(/\s+/g, ' ')).toContain(field.help); // wrapped to 80 columns
        if (field.group === 'Run') expect(FIELDS.map((f) => f.key)).not.toContain(field.key); // its own picker (e2e/new-run-form.test.ts)
        else expect(FIELDS.map((f) => f.key)).toContain(field.key);
        expect(configFieldLabel(field.key)).not.toBe(field.key);
      });
    });
  }

  it('names a run by every setting that changes the experiment; only these say nothing about it', () => {
    const unnamed = CONFIG_FIELDS.filter((field) => !field.phrase).map((field) => field.key);
    expect(unnamed.sort()).toEqual(['backend', 'checkpointEvery', 'earlySampleSteps', 'gridCols', 'gridRows', 'preset', 'scoreEvery', 'scoreSampleSize', 'seed']);
    expect(settingPhrase('epochs', 1)).toBe('1 epoch');
    expect(settingPhrase('diffAugment', ['color', 'cutout'])).toBe('DiffAugment color+cutout');
  });

  it('refuses text of the wrong kind in the flag’s own words', () => {
    expect(() => configInputFromFlags(parseFlags(['--g-lr', 'fast']))).toThrow('--g-lr expects a number, got "fast".');
    expect(() => configInputFromFlags(parseFlags(['--loss', 'hing']))).toThrow(expect.objectContaining({ hint: 'Did you mean "hinge"?' }));
    expect(() => configInputFromFlags(parseFlags(['--diffaugment', 'color,zoom']))).toThrow('got "zoom"');
    expect(() => configValueFromFlag('--ema', '1')).toThrow(/--ema \(emaDecay\) must be less than 1\./);
    expect(() => configValueFromFlag('--warp', '1')).toThrow('--warp is not a training setting.');
    expect(configInputFromFlags(parseFlags([])).preset).toBe('quick');
  });

  it('turns a switch off with --no-<flag>, so a preset’s recipe can be switched off from the CLI', () => {
    expect(configInputFromFlags(parseFlags(['--no-spectral-norm'])).spectralNorm).toBe(false);
    expect(configInputFromFlags(parseFlags(['--spectral-norm'])).spectralNorm).toBe(true);
  });
});
