/**
 * Dataset import options and the manifest every cached dataset carries.
 * A cached dataset is a folder: manifest.json + images.u8 (uint8 NHWC,
 * count × height × width × channels) + labels.u8 (uint8 class index per
 * image, present when `hasLabels`).
 */
import { z } from 'zod';

export const importOptionsSchema = z
  .object({
    /** Square side in pixels to resize every image to; omitted = keep the source size. */
    size: z.number().int().min(4).max(1024).optional(),
    /** Without `size`: the square side images of mixed sizes are brought to (by `fit`); omitted = 64. */
    mixedSize: z.number().int().min(4).max(1024).optional(),
    /** 1 = grayscale, 3 = RGB; omitted = the source's own. */
    channels: z.union([z.literal(1), z.literal(3)]).optional(),
    /** 'cover' crops to a centred square; 'contain' pads with `background`. */
    fit: z.enum(['cover', 'contain']).default('cover'),
    /** Colour used to pad and to composite transparent pixels onto (CSS hex). */
    background: z.string().regex(/^#[0-9a-fA-F]{6}$/).default('#000000'),
    /** Keep only these class names (first-level folder names / label names). */
    classes: z.array(z.string().min(1)).optional(),
    maxImages: z.number().int().positive().optional(),
  })
  .strict();

export type ImportOptions = z.input<typeof importOptionsSchema>;

/** Every kind of source an import reads (one list: the type and run.json's schema come from it). */
export const DATASET_SOURCE_KINDS = ['folder', 'zip', 'tar', 'cifar10', 'cifar100', 'idx', 'npy', 'builtin'] as const;
export type DatasetSourceKind = (typeof DATASET_SOURCE_KINDS)[number];

export interface SkippedFile {
  /** Path relative to the source (or the archive entry name). */
  file: string;
  reason: string;
}

export interface DatasetManifest {
  version: 1;
  /** Stable id: the cache folder's name. */
  id: string;
  name: string;
  source: { path: string; kind: DatasetSourceKind; fingerprint: string };
  count: number;
  width: number;
  height: number;
  channels: 1 | 3;
  hasLabels: boolean;
  classNames: string[];
  /** classCounts[i] = number of images of classNames[i]. */
  classCounts: number[];
  skipped: SkippedFile[];
  /** Set when the source's images had mixed sizes (and no `size` was given): how many were brought to size × size. */
  mixedSizes?: { resized: number; size: number };
  options: z.output<typeof importOptionsSchema>;
  createdAt: string;
}

/** "2 images of mixed sizes were centre-cropped and resized to 64×64": the CLI's and the studio's report line. */
export function describeMixedSizes(mixed: NonNullable<DatasetManifest['mixedSizes']>, fit: 'cover' | 'contain'): string {
  const how = fit === 'cover' ? 'centre-cropped and resized' : 'resized and padded';
  const images = `${mixed.resized.toLocaleString('en-US')} image${mixed.resized === 1 ? ' of mixed sizes was' : 's of mixed sizes were'}`;
  return `${images} ${how} to ${mixed.size}×${mixed.size}`;
}
