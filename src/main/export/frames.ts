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
  /** Shown above the grid (a comparison shows the run name). */
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

function textBar(text: string, width: number, height: number, fontSize: number, colour: string): Buffer {
  const svg =
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}">` +
    `<text x="${width / 2}" y="${Math.round(height * 0.7)}" text-anchor="middle" font-family="${FONT_FAMILY}" ` +
    `font-size="${fontSize}" fill="${colour}">${escapeXml(text)}</text></svg>`;
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

function shorten(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

interface PanelGeometry {
  width: number;
  titleHeight: number;
  captionHeight: number;
  fontSize: number;
}

function panelGeometry(layout: PanelLayout, widestText: string, hasTitle: boolean): PanelGeometry {
  const fontSize = fontSizeFor(layout.gridHeight);
  const bar = Math.round(fontSize * 1.8);
  return {
    width: Math.max(layout.gridWidth, textWidth(widestText, fontSize)),
    titleHeight: hasTitle ? bar : 0,
    captionHeight: bar,
    fontSize,
  };
}

async function panelComposites(panel: Panel, layout: PanelLayout, geometry: PanelGeometry, left: number): Promise<sharp.OverlayOptions[]> {
  const grid = await sharp(await readRunFile(panel.gridPath))
    .toColourspace('srgb')
    .resize({ width: layout.gridWidth, height: layout.gridHeight, kernel: 'nearest', fit: 'contain', background: BACKGROUND })
    .png()
    .toBuffer();
  const { width, titleHeight, captionHeight, fontSize } = geometry;
  const overlays: sharp.OverlayOptions[] = [
    { input: grid, top: titleHeight, left: left + Math.floor((width - layout.gridWidth) / 2) },
    {
      input: textBar(panel.caption, width, captionHeight, fontSize, panel.ended ? ENDED : TEXT),
      top: titleHeight + layout.gridHeight,
      left,
    },
  ];
  if (panel.title) overlays.push({ input: textBar(panel.title, width, titleHeight, fontSize, TEXT), top: 0, left });
  return overlays;
}

/**
 * Draw panels side by side into one PNG frame. `longestText` is the widest
 * caption or title the whole animation uses, so every frame has one size.
 */
export async function renderFrame(panels: Panel[], layout: PanelLayout, longestText: string): Promise<Buffer> {
  const hasTitle = panels.some((panel) => panel.title !== undefined);
  const geometry = panelGeometry(layout, longestText, hasTitle);
  const width = even(panels.length * geometry.width + (panels.length - 1) * GAP);
  const height = even(geometry.titleHeight + layout.gridHeight + geometry.captionHeight);
  const overlays = (
    await Promise.all(panels.map((panel, index) => panelComposites(panel, layout, geometry, index * (geometry.width + GAP))))
  ).flat();
  return sharp({ create: { width, height, channels: 3, background: BACKGROUND } })
    .composite(overlays)
    .png()
    .toBuffer();
}

/** Titles are cut to a readable length so one long run name cannot make frames huge. */
export function panelTitle(name: string): string {
  return shorten(name, 32);
}
