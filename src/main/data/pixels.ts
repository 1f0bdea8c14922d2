/**
 * Channel conversion on raw interleaved uint8 pixels, shared by every
 * importer so that gray↔RGB means the same thing for PNGs and for arrays.
 */

/**
 * Converts interleaved pixels between 1 (gray) and 3 (RGB) channels.
 * RGB → gray uses BT.601 luma (0.299 R + 0.587 G + 0.114 B), the usual
 * "luminance" of image libraries such as PIL; gray → RGB repeats the value.
 */
export function convertChannels(data: Uint8Array, from: 1 | 3, to: 1 | 3): Uint8Array {
  if (from === to) return data;
  if (from === 1) {
    const out = new Uint8Array(data.length * 3);
    for (let i = 0; i < data.length; i++) {
      const v = data[i]!;
      out[i * 3] = v;
      out[i * 3 + 1] = v;
      out[i * 3 + 2] = v;
    }
    return out;
  }
  const n = data.length / 3;
  const out = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    out[i] = Math.round(0.299 * data[i * 3]! + 0.587 * data[i * 3 + 1]! + 0.114 * data[i * 3 + 2]!);
  }
  return out;
}

/** Parses '#rrggbb' into its components. */
export function parseHexColour(hex: string): { r: number; g: number; b: number } {
  const value = Number.parseInt(hex.slice(1), 16);
  return { r: (value >> 16) & 255, g: (value >> 8) & 255, b: value & 255 };
}
