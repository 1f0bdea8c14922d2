/** Option labels for the dataset picker. */
import type { DatasetManifest } from '../../../shared/dataset';
import { formatInt } from './format';

type LabelFields = Pick<DatasetManifest, 'id' | 'name' | 'count' | 'width' | 'height' | 'channels' | 'source' | 'createdAt'>;

function countBy(labels: string[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const label of labels) counts.set(label, (counts.get(label) ?? 0) + 1);
  return counts;
}

/**
 * "name · count · W×H×C" per dataset id. The same source imported twice at the
 * same shape would read the same, so such entries also get the source kind and
 * import time, and, if even that matches, the cache id.
 */
export function datasetLabels(manifests: LabelFields[]): Map<string, string> {
  const base = manifests.map((m) => `${m.name} · ${formatInt(m.count)} · ${m.width}×${m.height}×${m.channels}`);
  const baseCounts = countBy(base);
  const detailed = manifests.map((m, i) =>
    (baseCounts.get(base[i]!) ?? 0) > 1 ? `${base[i]} · ${m.source.kind} · imported ${m.createdAt.slice(0, 16).replace('T', ' ')}` : base[i]!,
  );
  const detailedCounts = countBy(detailed);
  return new Map(manifests.map((m, i) => [m.id, (detailedCounts.get(detailed[i]!) ?? 0) > 1 ? `${detailed[i]} · ${m.id}` : detailed[i]!]));
}

/** What the origin is told from: a manifest's source and options, or a run's record of them (no fingerprint). */
type OriginFields = { source: Pick<DatasetManifest['source'], 'path' | 'kind'> & Partial<DatasetManifest['source']>; options: DatasetManifest['options'] };

/** "10,000 images · 28×28×1": how big a dataset is, as a card or picker says it. */
export function datasetDetail(manifest: Pick<DatasetManifest, 'count' | 'width' | 'height' | 'channels'> | undefined): string | undefined {
  return manifest ? `${formatInt(manifest.count)} image${manifest.count === 1 ? '' : 's'} · ${manifest.width}×${manifest.height}×${manifest.channels}` : undefined;
}

/**
 * Where a dataset came from and how it was imported: "built-in sample", "zip · shapes.zip", then
 * "first 1,000 images", "classes Bag, Coat", "resized to 16 px" when the import said so.
 */
export function datasetOrigin(manifest: OriginFields): string {
  const file = manifest.source.path.split(/[\\/]/).filter(Boolean).pop() ?? manifest.source.path;
  const parts = [manifest.source.kind === 'builtin' ? 'built-in sample' : `${manifest.source.kind} · ${file}`];
  if (manifest.options.maxImages !== undefined) parts.push(`first ${formatInt(manifest.options.maxImages)} images`);
  if (manifest.options.classes?.length) parts.push(`classes ${manifest.options.classes.join(', ')}`);
  if (manifest.options.size !== undefined) parts.push(`resized to ${manifest.options.size} px`);
  return parts.join(' · ');
}
