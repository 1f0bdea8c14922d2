/** Run ids: sortable, readable, unique enough for one user's runs folder. */
import { RUN_ID_PATTERN } from '../../shared/run';

/** e.g. 2026-11-27T22-51-03-tiny-ab12 (UTC time, preset, 4 random hex digits). Web Crypto: also in the GPU host page. */
export function newRunId(preset: string, now = new Date()): string {
  const stamp = now.toISOString().slice(0, 19).replace(/:/g, '-');
  const slug = preset.toLowerCase().replace(/[^a-z0-9-]+/g, '-').replace(/^-+|-+$/g, '') || 'run';
  const random = Array.from(crypto.getRandomValues(new Uint8Array(2)), (byte) => byte.toString(16).padStart(2, '0')).join('');
  return `${stamp}-${slug}-${random}`;
}

/** Run ids are also folder names and URL segments: no separators, no dots first. */
export function isValidRunId(id: string): boolean {
  return RUN_ID_PATTERN.test(id);
}
