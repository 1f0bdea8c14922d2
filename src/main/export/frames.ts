/**
 * Animation frames drawn with sharp: a sample grid upscaled with
 * nearest-neighbour (pixels stay crisp), a caption bar under it and, in a
 * comparison, a title bar with the run's name. Captions are SVG text
 * rasterised by sharp rather than ffmpeg's drawtext, because drawtext needs a
 * font file path that differs per ffmpeg build and OS; sharp finds system
 * fonts through fontconfig (on Debian: fonts-dejavu-core).
 */
import sharp from 'sharp';
import { ExportError } from './errors';
import { readRunFile } from './run-files';

/** One grid in a frame: what to draw above and below it. */
export interface Panel {
  gridPath: string;
  /** Shown above the grid, whole: a comparison shows the run's full name, wrapped onto lines. */
  title?: string;
  /** Shown below the grid, e.g. "epoch 12 / 50". */
  caption: string;
  /** Draw the caption in the "ended" colour (the run has no later grid). */
  ended?: boolean;
}

/** Size of one panel's grid area, fixed for a whole animation so every frame matches. */
export interface PanelLayout {
  gridWidth: number;
  gridHeight: number;
}

const BACKGROUND = { r: 17, g: 17, b: 17 };
const TEXT = '#eeeeee';
const ENDED = '#f0a040';
const GAP = 8;
const FONT_FAMILY = 'DejaVu Sans, Liberation Sans, Arial, Helvetica, sans-serif';

function escapeXml(text: string): string {
  return text.replace(/[<>&'"]/g, (c) => `&#${c.charCodeAt(0)};`);
}

function fontSizeFor(gridHeight: number): number {
  return Math.max(12, Math.min(24, Math.round(gridHeight / 14)));
}

/** DejaVu Sans averages about 0.6 em per character; a little slack keeps text inside. */
function textWidth(text: string, fontSize: number): number {
  return Math.ceil(text.length * 0.64 * fontSize) + 12;
}

/** Text lines centred in a bar, one line every `lineHeight` px. */
function textBar(text: string | string[], width: number, height: number, fontSize: number, colour: string, lineHeight = height): Buffer {
  const lines = typeof text === 'string' ? [text] : text;
  const spans = lines.map((line, i) => `<tspan x="${width / 2}" y="${Math.round(i * lineHeight + lineHeight * 0.7)}">${escapeXml(line)}</tspan>`).join('');
  const svg =
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}">` +
    `<text text-anchor="middle" font-family="${FONT_FAMILY}" font-size="${fontSize}" fill="${colour}">${spans}</text></svg>`;
  return Buffer.from(svg);
}

const even = (n: number): number => n + (n % 2);

async function inkOf(text: string): Promise<number> {
  const { data, info } = await sharp(textBar(text, 120, 30, 16, '#ffffff')).raw().toBuffer({ resolveWithObject: true });
  let lit = 0;
  for (let i = 0; i < data.length; i += info.channels) if ((data[i + info.channels - 1] ?? 0) > 128) lit++;
  return lit;
}

let fontCheck: Promise<void> | undefined;

/**
 * Throw a clear error when no font can draw captions. Without fonts sharp
 * draws nothing, or an empty box per character ("tofu"); only a real font
 * gives "iiii" some ink and "MMMM" far more.
 */
export function ensureCaptionFont(): Promise<void> {
  fontCheck ??= (async () => {
    const wide = await inkOf('MMMM');
    const narrow = await inkOf('iiii');
    if (narrow === 0 || wide < 2 * narrow) {
      fontCheck = undefined;
      throw new ExportError(
        'No font is available to draw frame captions and chart labels.',
        'Install a TrueType font (Debian/Ubuntu: apt-get install fonts-dejavu-core).',
      );
    }
  })();
  return fontCheck;
}

/** Grid area for a target grid height, keeping the first grid's aspect ratio. */
export async function layoutFor(gridPath: string, scale: number): Promise<PanelLayout> {
  const meta = await sharp(await readRunFile(gridPath)).metadata();
  if (!meta.width || !meta.height) throw new ExportError(`Cannot read the image size of ${gridPath}.`);
  return { gridWidth: meta.width * scale, gridHeight: meta.height * scale };
}

/** Default scale: small grids are blown up (integer, nearest-neighbour) to about 256 px wide. */
export function autoScale(gridWidth: number): number {
  return Math.max(1, Math.min(8, Math.ceil(256 / gridWidth)));
}

/** Title lines are at most this many characters: a long name wraps instead of widening the frame. */
const TITLE_LINE_CHARS = 32;

/** Greedily pack `words` into lines of at most `max` characters, joined by spaces. */
function pack(words: string[], max: number): string[] {
  const lines: string[] = [];
  for (const word of words) {
    const last = lines.at(-1);
    if (last !== undefined && last.length + 1 + word.length <= max) lines[lines.length - 1] = `${last} ${word}`;
    else lines.push(word);
  }
  return lines;
}

/**
 * A run name on lines of at most `max` characters, nothing left out: it breaks between the
 * parts of a name ("preset · dataset · what differs", each line but the last ending in "·"),
 * inside a part only at spaces, and mid-word only for a word longer than a line.
 */
export function wrapTitle(name: string, max = TITLE_LINE_CHARS): string[] {
  const parts = name.split(' · ');
  const pieces = parts.flatMap((part, i) => {
    const text = i < parts.length - 1 ? `${part} ·` : part;
    if (text.length <= max) return [text];
    const words = text.split(' ').flatMap((word) => word.match(new RegExp(`.{1,${max}}`, 'gu')) ?? []);
    return pack(words, max);
  });
  return pieces.length ? pack(pieces, max) : [''];
}

interface PanelGeometry {
  width: number;
  titleHeight: number;
  captionHeight: number;
  lineHeight: number;
  fontSize: number;
}

function panelGeometry(layout: PanelLayout, widestText: string, titleLines: number): PanelGeometry {
  const fontSize = fontSizeFor(layout.gridHeight);
  const bar = Math.round(fontSize * 1.8);
  const lineHeight = Math.round(fontSize * 1.3);
  return {
    width: Math.max(layout.gridWidth, textWidth(widestText, fontSize)),
    titleHeight: titleLines > 0 ? titleLines * lineHeight + (bar - lineHeight) : 0,
    captionHeight: bar,
    lineHeight,
    fontSize,
  };
}

async function panelComposites(panel: Panel, layout: PanelLayout, geometry: PanelGeometry, left: number, title: string[]): Promise<sharp.OverlayOptions[]> {
  const grid = await sharp(await readRunFile(panel.gridPath))
    .toColourspace('srgb')
    .resize({ width: layout.gridWidth, height: layout.gridHeight, kernel: 'nearest', fit: 'contain', background: BACKGROUND })
    .png()
    .toBuffer();
  const { width, titleHeight, captionHeight, lineHeight, fontSize } = geometry;
  const overlays: sharp.OverlayOptions[] = [
    { input: grid, top: titleHeight, left: left + Math.floor((width - layout.gridWidth) / 2) },
    {
      input: textBar(panel.caption, width, captionHeight, fontSize, panel.ended ? ENDED : TEXT),
      top: titleHeight + layout.gridHeight,
      left,
    },
  ];
  if (title.length) overlays.push({ input: textBar(title, width, titleHeight, fontSize, TEXT, lineHeight), top: 0, left });
  return overlays;
}

/**
 * Draw panels side by side into one PNG frame. `longestCaption` is the widest
 * caption the whole animation uses, so every frame has one size (titles are
 * the same in every frame: each is drawn whole, wrapped onto lines).
 */
export async function renderFrame(panels: Panel[], layout: PanelLayout, longestCaption: string): Promise<Buffer> {
  const titles = panels.map((panel) => (panel.title === undefined ? [] : wrapTitle(panel.title)));
  const titleLines = Math.max(0, ...titles.map((lines) => lines.length));
  const widest = [longestCaption, ...titles.flat()].reduce((a, b) => (b.length > a.length ? b : a));
  const geometry = panelGeometry(layout, widest, titleLines);
  const width = even(panels.length * geometry.width + (panels.length - 1) * GAP);
  const height = even(geometry.titleHeight + layout.gridHeight + geometry.captionHeight);
  const overlays = (
    await Promise.all(panels.map((panel, index) => panelComposites(panel, layout, geometry, index * (geometry.width + GAP), titles[index]!)))
  ).flat();
  return sharp({ create: { width, height, channels: 3, background: BACKGROUND } })
    .composite(overlays)
    .png()
    .toBuffer();
}
