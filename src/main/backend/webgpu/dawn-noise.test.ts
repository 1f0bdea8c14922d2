import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { forwardStderr, isDawnNoise } from './dawn-noise';

const NOISE = [
  'Warning: maxDynamicUniformBuffersPerPipelineLayout artificially reduced from 1000000 to 16 to fit dynamic offset allocation limit.',
  'Warning: maxDynamicStorageBuffersPerPipelineLayout artificially reduced from 1000000 to 16 to fit dynamic offset allocation limit.',
];

/** What `forwardStderr` passes on when `chunks` arrive. */
async function forwarded(chunks: string[], keepNoise = false): Promise<string> {
  const from = new PassThrough();
  const to = new PassThrough();
  let out = '';
  to.on('data', (chunk: Buffer) => (out += chunk.toString()));
  forwardStderr(from, to, keepNoise);
  for (const chunk of chunks) from.write(chunk);
  from.end();
  await new Promise((resolve) => setImmediate(resolve));
  return out;
}

describe("Dawn's warnings on stderr", () => {
  it('recognises exactly the adapter-limit warnings', () => {
    for (const line of NOISE) expect(isDawnNoise(line)).toBe(true);
    expect(isDawnNoise('Error: the GPU device was lost')).toBe(false);
    expect(isDawnNoise('Warning: something else entirely')).toBe(false);
  });

  it('drops them from a child’s stderr and passes everything else on, even split across chunks', async () => {
    const text = `training failed\n${NOISE[0]}\n${NOISE[1]}\n    at step (gan-step.ts:1)\nlast`;
    expect(await forwarded([text.slice(0, 30), text.slice(30, 100), text.slice(100)])).toBe('training failed\n    at step (gan-step.ts:1)\nlast');
    expect(await forwarded([text], true)).toBe(text); // DEBUG keeps them
  });

  it('passes a line on as it arrives once it cannot be Dawn’s (a progress bar redrawn with \\r shows live)', async () => {
    const from = new PassThrough();
    const to = new PassThrough();
    const seen: string[] = [];
    to.on('data', (chunk: Buffer) => seen.push(chunk.toString()));
    forwardStderr(from, to, false);
    const tick = () => new Promise((resolve) => setImmediate(resolve));
    from.write('\r[##------]  25% drawing');
    await tick();
    expect(seen.join('')).toBe('\r[##------]  25% drawing');
    from.write('\r[####----]  50% drawing');
    await tick();
    expect(seen.join('')).toBe('\r[##------]  25% drawing\r[####----]  50% drawing');
    // The start of a line that may be a warning waits for its end: Dawn's is dropped, another kept whole.
    from.write('\nWarn');
    await tick();
    expect(seen.join('')).toBe('\r[##------]  25% drawing\r[####----]  50% drawing\n');
    from.write(`ing: maxDynamicUniformBuffersPerPipelineLayout artificially reduced from 1000000 to 16 to fit dynamic offset allocation limit.\nWarning: disk slow\ndone\n`);
    from.end();
    await tick();
    expect(seen.join('')).toBe('\r[##------]  25% drawing\r[####----]  50% drawing\nWarning: disk slow\ndone\n');
  });
});
