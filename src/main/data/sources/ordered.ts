/**
 * Bounded, ordered concurrency: work on up to `concurrency` items at once,
 * hand the results over strictly in input order.
 */

/**
 * Runs `work` on each item with at most `concurrency` in flight and calls
 * `consume` with the results in input order. Stops starting new work once
 * `consume` returns false; waits for the work already started.
 */
export async function forEachInOrder<T, R>(
  items: readonly T[],
  concurrency: number,
  work: (item: T) => Promise<R>,
  consume: (result: R, item: T) => Promise<boolean>,
): Promise<void> {
  const inFlight: Promise<R>[] = [];
  let next = 0;
  let consumed = 0;
  try {
    while (consumed < items.length) {
      while (next < items.length && inFlight.length < concurrency) inFlight.push(work(items[next++]!));
      const result = await inFlight.shift()!;
      if (!(await consume(result, items[consumed++]!))) return;
    }
  } finally {
    // Let started work settle (and release its memory) before the caller moves on.
    await Promise.allSettled(inFlight);
  }
}
