/**
 * A decode thread (started by decode-threads.ts): decodes each image it is
 * sent with decodeImage and posts the pixels, or sharp's error message, back.
 */
import { parentPort } from 'node:worker_threads';
import { decodeImage } from './decode';
import type { DecodeReply, DecodeRequest } from './decode-threads';

const port = parentPort;
if (!port) throw new Error('decode-worker runs as a worker thread (decode-threads.ts starts it)');

port.on('message', ({ id, input, shape, maxPixels }: DecodeRequest) => {
  decodeImage(input, shape, maxPixels).then(
    (image) => port.postMessage({ id, image } satisfies DecodeReply, [image.data.buffer as ArrayBuffer]),
    (error: unknown) => port.postMessage({ id, error: error instanceof Error ? error.message : String(error) } satisfies DecodeReply),
  );
});
