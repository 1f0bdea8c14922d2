/**
 * SHA-256 of a file, streamed. Its own module because the desktop app's GPU
 * host page swaps it for one that asks the main process (renderer/gpu-host/io/).
 */
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';

/** The file's SHA-256 as lowercase hex. */
export function sha256OfFile(path: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const hash = createHash('sha256');
    createReadStream(path)
      .on('data', (chunk) => hash.update(chunk))
      .on('error', reject)
      .on('end', () => resolve(hash.digest('hex')));
  });
}
