/**
 * Dawn writes warnings of its own to stderr from native code, e.g. on a
 * software adapter "Warning: maxDynamicUniformBuffersPerPipelineLayout
 * artificially reduced from 1000000 to 16 to fit dynamic offset allocation
 * limit." They are harmless, and a person reads them as errors. A child
 * process that may load Dawn (trainer, backend probe, generate worker) has
 * its stderr forwarded through `forwardStderr`, which drops those lines and
 * passes everything else on as it came.
 */
import type { Readable, Writable } from 'node:stream';

const DAWN_NOISE = /^Warning: \w+ artificially reduced from \d+ to \d+/;

/** One of Dawn's own warnings about an adapter's limits. */
export function isDawnNoise(line: string): boolean {
  return DAWN_NOISE.test(line);
}

/** Copies `from` to `to` line by line without Dawn's noise (kept when DEBUG is set, for whoever looks into Dawn). */
export function forwardStderr(from: Readable, to: Writable = process.stderr, keepNoise = Boolean(process.env.DEBUG)): void {
  let partial = '';
  const write = (line: string) => {
    if (keepNoise || !isDawnNoise(line)) to.write(`${line}\n`);
  };
  from.setEncoding('utf8');
  from.on('data', (chunk: string) => {
    const lines = (partial + chunk).split('\n');
    partial = lines.pop()!;
    for (const line of lines) write(line);
  });
  from.on('end', () => {
    if (partial !== '') to.write(partial);
  });
}
