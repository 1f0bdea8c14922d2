import { describe, expect, it } from 'vitest';
import { executorChoice, slurmFormValues, validateSlurmForm } from './executor-form';
import { readVaryRows } from './sweep-form';

describe('readVaryRows', () => {
  it('reads each value as the New run form reads that field, and counts the runs', () => {
    const result = readVaryRows(
      [
        { key: 'loss', text: 'bce, hinge' },
        { key: 'emaDecay', text: '0,0.99' },
        { key: 'spectralNorm', text: 'off,on' },
        { key: 'diffAugment', text: 'none; color,translation' },
      ],
      3,
    );
    expect(result).toEqual({
      ok: true,
      runs: 2 * 2 * 2 * 2 * 3,
      axes: [
        { key: 'loss', values: ['bce', 'hinge'] },
        { key: 'emaDecay', values: [0, 0.99] },
        { key: 'spectralNorm', values: [false, true] },
        { key: 'diffAugment', values: [[], ['color', 'translation']] },
      ],
    });
  });

  it('says which row is wrong and why', () => {
    expect(readVaryRows([{ key: 'loss', text: 'bce,wgan' }], 1)).toEqual({ ok: false, errors: { 0: 'Loss takes bce, hinge, least-squares; “wgan” is not one.' } });
    expect(readVaryRows([{ key: 'batchSize', text: '8,x' }], 1)).toEqual({ ok: false, errors: { 0: 'Batch size values must be numbers; “x” is not one.' } });
    expect(readVaryRows([{ key: 'loss', text: 'bce' }, { key: 'loss', text: 'hinge' }], 1)).toEqual({ ok: false, errors: { 1: 'Loss is varied twice: give all its values in one row.' } });
    expect(readVaryRows([{ key: 'seed', text: '1,2' }], 1)).toEqual({ ok: false, errors: { 0: 'Pick a setting to vary.' } });
    expect(readVaryRows([{ key: 'epochs', text: ' , ' }], 1)).toEqual({ ok: false, errors: { 0: 'Give Epochs at least one value.' } });
  });
});

describe('the Slurm form', () => {
  it('turns typed fields into settings (blank: the cluster default) and back', () => {
    const values = { ...slurmFormValues({}), partition: ' gpu ', cpus: '4', memory: '16G', time: '4:00:00', extraArgs: '--qos=high\n\n--constraint=a100', setup: 'module load cuda' };
    const result = validateSlurmForm(values, { maxRequeues: 5 });
    expect(result).toEqual({ ok: true, settings: { partition: 'gpu', cpus: 4, memory: '16G', time: '4:00:00', extraArgs: ['--qos=high', '--constraint=a100'], setup: 'module load cuda', maxRequeues: 5 } });
    expect(slurmFormValues(result.ok ? result.settings : {})).toEqual({ ...values, partition: 'gpu', extraArgs: '--qos=high\n--constraint=a100' });
    expect(executorChoice('slurm', result)).toEqual({ kind: 'slurm', slurm: result.ok ? result.settings : {} });
    expect(executorChoice('local', result)).toEqual({ kind: 'local' });
  });

  it('refuses what sbatch could not be given safely, field by field', () => {
    const result = validateSlurmForm({ ...slurmFormValues({}), partition: 'gpu; rm -rf ~', cpus: '2.5', memory: 'lots', extraArgs: 'qos=high' });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(Object.keys(result.errors).sort()).toEqual(['cpus', 'extraArgs', 'memory', 'partition']);
    expect(result.errors.cpus).toBe('CPUs must be a whole number of at least 1.');
    expect(result.errors.memory).toBe('expected a size such as 16G or 4000M');
    expect(executorChoice('slurm', result)).toBeUndefined();
  });
});
