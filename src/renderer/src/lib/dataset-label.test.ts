import { describe, expect, it } from 'vitest';
import { datasetDetail, datasetLabels, datasetOrigin } from './dataset-label';

const manifest = (id: string, overrides: Partial<Parameters<typeof datasetLabels>[0][number]> = {}) => ({
  id,
  name: 'cifar-10-batches-bin',
  count: 1200,
  width: 16,
  height: 16,
  channels: 1 as const,
  source: { path: '/data/cifar', kind: 'cifar10' as const, fingerprint: 'f' },
  createdAt: '2026-11-27T23:40:12.000Z',
  ...overrides,
});

describe('datasetLabels', () => {
  it('shows name, count and W×H×C, and tells apart two imports differing only in shape', () => {
    const labels = datasetLabels([manifest('a'), manifest('b', { width: 32, height: 32, channels: 3 })]);
    expect(labels.get('a')).toBe('cifar-10-batches-bin · 1,200 · 16×16×1');
    expect(labels.get('b')).toBe('cifar-10-batches-bin · 1,200 · 32×32×3');
  });

  it('adds source kind and import time when name, count and shape match', () => {
    const labels = datasetLabels([manifest('a'), manifest('b', { source: { path: '/x.tgz', kind: 'tar', fingerprint: 'g' } })]);
    expect(labels.get('a')).toBe('cifar-10-batches-bin · 1,200 · 16×16×1 · cifar10 · imported 2026-11-27 23:40');
    expect(labels.get('b')).toBe('cifar-10-batches-bin · 1,200 · 16×16×1 · tar · imported 2026-11-27 23:40');
  });

  it('falls back to the cache id when even kind and import minute match', () => {
    const labels = datasetLabels([manifest('cifar-1'), manifest('cifar-2')]);
    expect(labels.get('cifar-1')).toMatch(/· cifar-1$/);
    expect(labels.get('cifar-2')).toMatch(/· cifar-2$/);
  });
});

describe('a Library card', () => {
  const fashion = (options: Record<string, unknown>, count: number) => ({
    count,
    width: 28,
    height: 28,
    channels: 1 as const,
    source: { path: '/usr/share/fashion-mnist', kind: 'builtin' as const, fingerprint: 'f' },
    options: { fit: 'cover' as const, background: '#000000', ...options },
  });

  it('says the size and source, so two "Fashion-MNIST (test set)" cards differ on their face', () => {
    expect(datasetDetail(fashion({}, 10000))).toBe('10,000 images · 28×28×1');
    expect(datasetOrigin(fashion({}, 10000))).toBe('built-in sample');
    expect(datasetOrigin(fashion({ maxImages: 1000, size: 16 }, 1000))).toBe('built-in sample · first 1,000 images · resized to 16 px');
    expect(datasetOrigin({ ...fashion({ classes: ['Bag', 'Coat'] }, 2000), source: { path: '/data/uploads/shapes.zip', kind: 'zip', fingerprint: 'g' } })).toBe(
      'zip · shapes.zip · classes Bag, Coat',
    );
    expect(datasetDetail(undefined)).toBeUndefined();
  });
});
