/** Real files for the e2e specs: a zip of small grayscale PNGs made with sharp and the zip tool. */
import { execFileSync } from 'node:child_process';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import sharp from 'sharp';

/**
 * Write `count` 16×16 grayscale PNGs (a bright square at a varying spot, so
 * the set is not constant) into two class folders and zip them.
 */
export async function makePngZip(dir: string, count: number): Promise<string> {
  const src = join(dir, 'shapes');
  for (const cls of ['left', 'right']) await mkdir(join(src, cls), { recursive: true });
  for (let i = 0; i < count; i++) {
    const cls = i % 2 === 0 ? 'left' : 'right';
    const pixels = Buffer.alloc(16 * 16);
    const x0 = cls === 'left' ? 2 + (i % 4) : 8 + (i % 4);
    for (let y = 4; y < 10; y++) for (let x = x0; x < x0 + 5; x++) pixels[y * 16 + x] = 220;
    await sharp(pixels, { raw: { width: 16, height: 16, channels: 1 } })
      .png()
      .toFile(join(src, cls, `img-${String(i).padStart(3, '0')}.png`));
  }
  const zip = join(dir, 'shapes.zip');
  execFileSync('zip', ['-q', '-r', zip, 'left', 'right'], { cwd: src });
  return zip;
}
