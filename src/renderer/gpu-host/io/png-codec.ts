/** The GPU host page's PNG work (main: common/png-codec.ts): sharp runs in the main process. */
import { Buffer } from 'buffer';
import type { RawImage } from '../../../main/common/png-codec';
import { call } from '../host-call';

export async function encodePng(image: RawImage): Promise<Buffer> {
  const png = await call<Uint8Array>('png.encode', image.pixels.slice(), image.width, image.height, image.channels);
  return Buffer.from(png.buffer, png.byteOffset, png.byteLength);
}

export function pngSize(png: Uint8Array): Promise<{ width: number; height: number; channels: RawImage['channels'] }> {
  return call('png.size', png.slice());
}
