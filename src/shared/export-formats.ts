/**
 * Every export format once: its label, what it writes (a file with its
 * extension, or a folder), and whether it animates the grids (and can show
 * runs side by side). The CLI, the export request schema, the studio's API
 * and its Export panel all read this list.
 */

/** Formats that animate the sample grids, one frame per epoch. */
export const ANIMATION_FORMATS = ['gif', 'mp4', 'webm'] as const;
export type AnimationFormat = (typeof ANIMATION_FORMATS)[number];

/** Every export format by name. */
export const EXPORT_FORMATS = [...ANIMATION_FORMATS, 'png', 'charts', 'csv', 'generator'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

export interface ExportFormatSpec {
  /** What the Export panel calls it. */
  label: string;
  /** A file ending in this extension; absent: a folder. */
  extension?: `.${string}`;
}

export const EXPORT_FORMAT_SPECS: Record<ExportFormat, ExportFormatSpec> = {
  gif: { label: 'GIF animation', extension: '.gif' },
  mp4: { label: 'MP4 video', extension: '.mp4' },
  webm: { label: 'WebM video', extension: '.webm' },
  png: { label: 'PNG of one grid', extension: '.png' },
  charts: { label: 'Charts (SVG + PNG)' },
  csv: { label: 'Metrics (CSV)' },
  generator: { label: 'Generator (tf.js model)' },
};

/** The formats the studio offers for 2–4 runs side by side. */
export const COMPARE_EXPORT_FORMATS = ['gif', 'mp4'] as const satisfies readonly AnimationFormat[];

/** An animation format (gif, mp4, webm). */
export function isAnimationFormat(format: string): format is AnimationFormat {
  return (ANIMATION_FORMATS as readonly string[]).includes(format);
}

/** Which file extension a file name ends in (".gif"), if any. */
function extensionOf(file: string): string | undefined {
  const name = file.split(/[\\/]/).pop() ?? '';
  const dot = name.lastIndexOf('.');
  return dot > 0 ? name.slice(dot).toLowerCase() : undefined;
}

/**
 * The output file for `format` named `out`: the name as given when it ends in the format's
 * extension, else with it added (ffmpeg picks its muxer by the extension: "run.v2" becomes
 * "run.v2.mp4"); another export format's extension is refused, naming both.
 */
export function outputFileFor(format: ExportFormat, out: string): { ok: true; file: string } | { ok: false; message: string; hint: string } {
  const wanted = EXPORT_FORMAT_SPECS[format].extension;
  if (wanted === undefined) return { ok: true, file: out };
  const has = extensionOf(out);
  if (has === wanted) return { ok: true, file: out };
  const other = has === undefined ? undefined : EXPORT_FORMATS.find((candidate) => EXPORT_FORMAT_SPECS[candidate].extension === has);
  if (other === undefined) return { ok: true, file: `${out}${wanted}` };
  return {
    ok: false,
    message: `The output ${out} ends in ${has}, but the format is ${format} (a ${wanted} file).`,
    hint: `Name it …${wanted}, or export with --format ${other}.`,
  };
}
