/**
 * The human-readable import report printed by `inspect-data` and shown
 * after an import: what was imported and what was skipped, and why.
 */
import { describeMixedSizes } from '../../shared/dataset';
import type { DatasetManifest } from '../../shared/dataset';
import { printable } from '../../shared/printable';

const MAX_SKIPPED_LINES = 20;

const number = (n: number): string => n.toLocaleString('en-US');

/**
 * Formats a manifest as a short multi-line report. Names from the source
 * (paths, class and file names) are passed through printable(): a file
 * name cannot add a line or move the cursor.
 */
export function formatImportReport(manifest: DatasetManifest): string {
  const lines: string[] = [];
  const { options } = manifest;
  lines.push(`Dataset: ${printable(manifest.name)} (${manifest.source.kind}) — ${printable(manifest.source.path)}`);
  const channels = manifest.channels === 1 ? '1 channel (gray)' : '3 channels (RGB)';
  lines.push(`Images:  ${number(manifest.count)} × ${manifest.width}×${manifest.height}, ${channels}`);
  const applied = [
    options.size !== undefined && `resized to ${options.size}×${options.size} (${options.fit === 'cover' ? 'centre crop' : `padded with ${options.background}`})`,
    options.channels !== undefined && `converted to ${options.channels === 1 ? 'gray' : 'RGB'}`,
    options.classes && `classes filtered to ${options.classes.map(printable).join(', ')}`,
    options.maxImages !== undefined && `at most ${number(options.maxImages)} images`,
  ].filter((s): s is string => typeof s === 'string');
  if (applied.length) lines.push(`Options: ${applied.join('; ')}`);
  if (manifest.mixedSizes) lines.push(`Resized: ${describeMixedSizes(manifest.mixedSizes, options.fit)}`);
  if (manifest.hasLabels) {
    lines.push(`Classes: ${manifest.classNames.length}`);
    const names = manifest.classNames.map(printable);
    const width = Math.max(...names.map((n) => n.length));
    names.forEach((name, i) => lines.push(`  ${name.padEnd(width)}  ${number(manifest.classCounts[i] ?? 0).padStart(7)}`));
  } else {
    lines.push('Classes: none (unlabelled)');
  }
  if (manifest.skipped.length === 0) {
    lines.push('Skipped: none');
  } else {
    lines.push(`Skipped: ${number(manifest.skipped.length)} file${manifest.skipped.length === 1 ? '' : 's'}`);
    for (const s of manifest.skipped.slice(0, MAX_SKIPPED_LINES)) lines.push(`  ${printable(s.file)} — ${printable(s.reason)}`);
    if (manifest.skipped.length > MAX_SKIPPED_LINES) lines.push(`  … and ${number(manifest.skipped.length - MAX_SKIPPED_LINES)} more`);
  }
  lines.push(`Cache:   ${manifest.id}`);
  return lines.join('\n');
}
