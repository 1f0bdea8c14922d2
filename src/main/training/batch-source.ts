/**
 * The real images of every step, streamed from the dataset cache: each
 * epoch's shuffled order (batches.ts) cut into full batches, and each batch
 * read by offset (data/reader.ts) a few batches ahead of the step that
 * needs it, so the step does not wait on the disk while the data is in the
 * page cache, and memory holds READ_AHEAD batches, not the dataset. Batch
 * (epoch, i) is a pure function of the seed, so a resumed run reads the
 * very batches an uninterrupted one would.
 */
import type { DatasetReader } from '../data/reader';
import { epochOrder, stepsPerEpoch } from './batches';

/** Batches read ahead of the one being trained on. */
export const READ_AHEAD = 3;

/** Where a batch sits in the schedule: epoch (1-based) and batch index in it (0-based). */
interface BatchAt {
  epoch: number;
  batch: number;
}

export interface BatchPlan {
  seed: number;
  batchSize: number;
  /** The last epoch to read ahead into. */
  epochs: number;
}

export class BatchSource {
  private readonly pending = new Map<string, Promise<Uint8Array>>();
  /** The orders of the epochs being read (the current one and, near its end, the next). */
  private readonly orders = new Map<number, Uint32Array>();
  private readonly perEpoch: number;

  constructor(
    private readonly dataset: Pick<DatasetReader, 'read' | 'manifest'>,
    private readonly plan: BatchPlan,
  ) {
    this.perEpoch = stepsPerEpoch(dataset.manifest.count, plan.batchSize);
  }

  /** The uint8 NHWC pixels of batch `batch` of `epoch`; starts reading the batches after it. */
  take(epoch: number, batch: number): Promise<Uint8Array> {
    const wanted = this.fetch({ epoch, batch });
    this.pending.delete(key({ epoch, batch }));
    let next: BatchAt | undefined = { epoch, batch };
    for (let ahead = 0; ahead < READ_AHEAD && next; ahead += 1) {
      next = this.after(next);
      if (next) this.fetch(next);
    }
    for (const kept of this.orders.keys()) if (kept < epoch) this.orders.delete(kept);
    return wanted;
  }

  /** Waits for the reads still in flight (their failures are not this caller's concern). */
  async close(): Promise<void> {
    await Promise.allSettled(this.pending.values());
    this.pending.clear();
  }

  private fetch(at: BatchAt): Promise<Uint8Array> {
    const existing = this.pending.get(key(at));
    if (existing) return existing;
    const order = this.orderOf(at.epoch);
    const read = this.dataset.read(order.subarray(at.batch * this.plan.batchSize, (at.batch + 1) * this.plan.batchSize));
    // A read ahead that fails is reported when its step takes it, not as an unhandled rejection.
    read.catch(() => undefined);
    this.pending.set(key(at), read);
    return read;
  }

  private after({ epoch, batch }: BatchAt): BatchAt | undefined {
    if (batch + 1 < this.perEpoch) return { epoch, batch: batch + 1 };
    return epoch < this.plan.epochs ? { epoch: epoch + 1, batch: 0 } : undefined;
  }

  private orderOf(epoch: number): Uint32Array {
    let order = this.orders.get(epoch);
    if (!order) this.orders.set(epoch, (order = epochOrder(this.plan.seed, epoch, this.dataset.manifest.count)));
    return order;
  }
}

function key({ epoch, batch }: BatchAt): string {
  return `${epoch}:${batch}`;
}
