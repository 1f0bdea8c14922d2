import { describe, expect, it } from 'vitest';
import { resolveTrainingConfig } from '../../../shared/config';
import { runDistinctions } from './run-distinctions';

const run = (id: string, name: string, seed: number, extra: Record<string, unknown> = {}, dataset = 'fashion-a') => ({
  id,
  name,
  config: resolveTrainingConfig({ preset: 'quick', seed, ...extra }),
  dataset: { id: dataset },
  createdAt: `2026-12-07T16:0${id.length}:21.000Z`,
});

describe('runDistinctions', () => {
  it('says what differs between runs of one name ("quick · Fashion-M…" twice): the seed a name leaves out', () => {
    const labels = runDistinctions([run('a', 'quick · Fashion-MNIST', 17), run('b', 'quick · Fashion-MNIST', 4), run('c', 'tiny · shapes', 1)]);
    expect(labels.get('a')).toBe('seed 17');
    expect(labels.get('b')).toBe('seed 4');
    expect(labels.has('c')).toBe(false); // a name of its own
  });

  it('names the dataset import when that is what differs, then the start time', () => {
    const sizes: Record<string, string> = { 'fashion-a': '10,000 images', 'fashion-b': '1,000 images' };
    const labels = runDistinctions([run('a', 'q', 1, {}, 'fashion-a'), run('b', 'q', 1, {}, 'fashion-b')], (id) => sizes[id]);
    expect([labels.get('a'), labels.get('b')]).toEqual(['10,000 images', '1,000 images']);
    const same = runDistinctions([run('a', 'q', 1), run('bb', 'q', 1)]);
    expect([same.get('a'), same.get('bb')]).toEqual(['started 2026-12-07 16:01', 'started 2026-12-07 16:02']);
  });

  it('uses the run-name phrase for a setting that names runs', () => {
    const labels = runDistinctions([run('a', 'renamed', 1, { loss: 'hinge' }), run('b', 'renamed', 1)]);
    expect(labels.get('a')).toBe('hinge loss');
    expect(labels.get('b')).toBe('bce loss');
  });
});
