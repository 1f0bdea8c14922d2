/** A dataset cache folder's name: which source and import options it holds, readably. */
import { createHash } from 'node:crypto';
import type { ResolvedImportOptions } from './job';

/** Bumped when importers change what they write, so old caches are not reused. */
const CACHE_FORMAT = 1;

/** Lower-case, dash-separated, short: the readable half of a cache id. */
function slug(name: string): string {
  return name.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 40) || 'dataset';
}

/** The cache id for a source fingerprint and options: readable name + 16 hex digits. */
export function cacheId(name: string, fingerprint: string, options: ResolvedImportOptions): string {
  const canonical = JSON.stringify(Object.fromEntries(Object.entries({ ...options, classes: options.classes && [...options.classes].sort() }).sort(([a], [b]) => a.localeCompare(b))));
  const digest = createHash('sha256').update(`${CACHE_FORMAT}\n${fingerprint}\n${canonical}`).digest('hex');
  return `${slug(name)}-${digest.slice(0, 16)}`;
}
