import { describe, expect, it } from 'vitest';
import { joinNegativeValues, parseCliArgs } from './parse-args';

const options = { epochs: { type: 'string' }, 'g-lr': { type: 'string' }, 'spectral-norm': { type: 'boolean' } } as const;

describe('negative numbers as option values', () => {
  it('joins a negative number to the string option before it', () => {
    expect(joinNegativeValues(['--epochs', '-1', '--g-lr', '-.5'], options)).toEqual(['--epochs=-1', '--g-lr=-.5']);
    expect(joinNegativeValues(['--g-lr', '-2e-3'], options)).toEqual(['--g-lr=-2e-3']);
    expect(parseCliArgs({ args: ['--epochs', '-1', '--g-lr', '-0.5'], options, strict: true }).values).toEqual({ epochs: '-1', 'g-lr': '-0.5' });
  });

  it('leaves options, boolean flags, inline values and everything after -- alone', () => {
    expect(joinNegativeValues(['--epochs', '--g-lr', '1'], options)).toEqual(['--epochs', '--g-lr', '1']);
    expect(joinNegativeValues(['--spectral-norm', '-1'], options)).toEqual(['--spectral-norm', '-1']);
    expect(joinNegativeValues(['--g-lr=-1', '--', '--epochs', '-1'], options)).toEqual(['--g-lr=-1', '--', '--epochs', '-1']);
    expect(joinNegativeValues(['--bogus', '-1'], options)).toEqual(['--bogus', '-1']);
  });

  it('still refuses a value that is an option, as node does', () => {
    expect(() => parseCliArgs({ args: ['--epochs', '-x'], options, strict: true })).toThrow(/ambiguous/);
  });
});
