/** `work` on every item, a few at once (a sweep writes thousands of small files), results in input order. */
import { forEachInOrder } from '../data/sources/ordered';

/** At most this many file operations in flight: enough to hide each fsync's latency, few enough for a network file system. */
export const FILE_CONCURRENCY = 16;

export async function mapInOrder<T, R>(items: readonly T[], work: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const results: R[] = [];
  const indexed = items.map((item, index) => ({ item, index }));
  await forEachInOrder(indexed, FILE_CONCURRENCY, ({ item, index }) => work(item, index), async (result) => {
    results.push(result);
    return true;
  });
  return results;
}
