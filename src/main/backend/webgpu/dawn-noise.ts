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

/** How every one of Dawn's warnings begins: a line that cannot begin so is passed on as it arrives. */
const NOISE_START = 'Warning: ';

/**
 * Copies `from` to `to` without Dawn's noise (kept when DEBUG is set, for whoever looks into Dawn).
 * A line is held back only while it may still become one of Dawn's warnings; any other text,
 * a progress bar redrawn with \r included, passes on at once.
 */
export function forwardStderr(from: Readable, to: Writable = process.stderr, keepNoise = Boolean(process.env.DEBUG)): void {
  /** The held start of the current line (it may be noise). */
  let held = '';
  /** The current line was judged not noise and is being passed on as it comes. */
  let passing = false;
  const take = (text: string, lineEnds: boolean) => {
    if (passing) {
      to.write(text + (lineEnds ? '\n' : ''));
    } else {
      held += text;
      const undecided = !keepNoise && (NOISE_START.startsWith(held) || held.startsWith(NOISE_START));
      if (lineEnds) {
        if (keepNoise || !isDawnNoise(held)) to.write(`${held}\n`);
        held = '';
      } else if (!undecided) {
        to.write(held);
        held = '';
        passing = true;
      }
    }
    if (lineEnds) passing = false;
  };
  from.setEncoding('utf8');
  from.on('data', (chunk: string) => {
    const lines = chunk.split('\n');
    const last = lines.pop()!;
    for (const line of lines) take(line, true);
    if (last !== '') take(last, false);
  });
  from.on('end', () => {
    if (held !== '') to.write(held);
  });
}
