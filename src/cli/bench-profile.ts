/**
 * `npm run bench -- --profile`: where one training step's time goes, by
 * kernel. Op-level wrappers that tf.profile also lists (names ending in
 * "__op", e.g. fusedConv2d__op around FusedConv2D) are left out so nothing
 * is counted twice. Kernel times are this process's CPU time, not wall time:
 * on a machine shared with other work, wall-clock kernel times jump by ±50%
 * with whatever else runs, CPU time does not.
 */
import * as tf from '@tensorflow/tfjs';

/** One kernel's share of a profiled step. */
export interface KernelShare {
  kernel: string;
  ms: number;
  share: number;
}

/** Profiles `run` and returns kernels by total time, largest first. */
export async function profileKernels(run: () => void): Promise<KernelShare[]> {
  const backend = tf.backend() as unknown as { time(f: () => void): Promise<{ kernelMs: number }> };
  // tf.profile times each kernel through backend.time(); swap in a CPU-time clock for the run.
  const ownTime = Object.prototype.hasOwnProperty.call(backend, 'time');
  const original = backend.time;
  backend.time = async (f) => {
    const start = process.cpuUsage();
    f();
    const used = process.cpuUsage(start);
    return { kernelMs: (used.user + used.system) / 1000 };
  };
  let info: Awaited<ReturnType<typeof tf.profile>>;
  try {
    info = await tf.profile(run);
  } finally {
    if (ownTime) backend.time = original;
    else delete (backend as { time?: unknown }).time;
  }
  const totals = new Map<string, number>();
  for (const k of info.kernels) {
    if (k.name.endsWith('__op')) continue;
    const ms = typeof k.kernelTimeMs === 'number' ? k.kernelTimeMs : 0;
    totals.set(k.name, (totals.get(k.name) ?? 0) + ms);
  }
  const sum = [...totals.values()].reduce((a, b) => a + b, 0) || 1;
  return [...totals.entries()]
    .map(([kernel, ms]) => ({ kernel, ms, share: ms / sum }))
    .sort((a, b) => b.ms - a.ms);
}

/** "  Conv2DBackpropInput  812 ms  31%" lines for the top `limit` kernels. */
export function formatKernelShares(shares: KernelShare[], limit = 8): string {
  return shares
    .slice(0, limit)
    .map((s) => `      ${s.kernel.padEnd(24)}${s.ms.toFixed(0).padStart(7)} ms${(s.share * 100).toFixed(0).padStart(5)}%`)
    .join('\n');
}
