/**
 * `npm run bench -- --profile`: where a training step's time goes, by
 * kernel: calls per step, wall and CPU milliseconds per step, and the rate
 * each kernel ran at — GFLOP/s for convolutions and matmuls (2 × multiply-
 * adds), GB/s for the memory-bound rest (bytes read + written). Every
 * kernel of the backend is wrapped for the profiled steps (only the
 * outermost call counts: the studio's conv kernels call tfjs kernels inside).
 * CPU time counts every thread of the process (a shared machine inflates wall
 * time; CPU time much less), so a threaded kernel shows CPU > wall.
 */
import * as tf from '@tensorflow/tfjs';
import { kernelWork } from './bench-work';

/** One kernel's part of a profiled step (per step, averaged over the profiled steps). */
export interface KernelProfile {
  kernel: string;
  calls: number;
  wallMs: number;
  cpuMs: number;
  /** Floating-point operations per step (matmul-like kernels). */
  flops: number;
  /** Bytes read and written per step (the others). */
  bytes: number;
}

type KernelArgs = Parameters<tf.KernelFunc>[0];

/** Runs `run` `steps` times with every kernel of the current backend timed; returns kernels by wall time, largest first. */
export async function profileKernels(run: () => Promise<void>, steps = 1): Promise<KernelProfile[]> {
  const backendName = tf.getBackend();
  const originals = tf.getKernelsForBackend(backendName);
  const totals = new Map<string, KernelProfile>();
  let depth = 0;
  for (const config of originals) {
    tf.unregisterKernel(config.kernelName, backendName);
    tf.registerKernel({
      ...config,
      kernelFunc: (args: KernelArgs) => {
        if (depth > 0) return config.kernelFunc(args);
        depth++;
        const cpu = process.cpuUsage();
        const start = performance.now();
        try {
          const out = config.kernelFunc(args);
          const wall = performance.now() - start;
          const used = process.cpuUsage(cpu);
          const row = totals.get(config.kernelName) ?? { kernel: config.kernelName, calls: 0, wallMs: 0, cpuMs: 0, flops: 0, bytes: 0 };
          const work = kernelWork(config.kernelName, args.inputs, args.attrs ?? {}, Array.isArray(out) ? out : [out]);
          row.calls++;
          row.wallMs += wall;
          row.cpuMs += (used.user + used.system) / 1000;
          row.flops += work.flops;
          row.bytes += work.bytes;
          totals.set(config.kernelName, row);
          return out;
        } finally {
          depth--;
        }
      },
    });
  }
  try {
    for (let i = 0; i < steps; i++) await run();
  } finally {
    for (const config of originals) {
      tf.unregisterKernel(config.kernelName, backendName);
      tf.registerKernel(config);
    }
  }
  return [...totals.values()]
    .map((r) => ({ ...r, calls: r.calls / steps, wallMs: r.wallMs / steps, cpuMs: r.cpuMs / steps, flops: r.flops / steps, bytes: r.bytes / steps }))
    .sort((a, b) => b.wallMs - a.wallMs);
}

/** "GFLOP/s" or "GB/s" of one row (by its wall time), as text. */
export function kernelRate(k: KernelProfile): string {
  if (k.wallMs <= 0) return '';
  if (k.flops > 0) return `${(k.flops / k.wallMs / 1e6).toFixed(1)} GFLOP/s`;
  if (k.bytes > 0) return `${(k.bytes / k.wallMs / 1e6).toFixed(1)} GB/s`;
  return '';
}

/** The table `--profile` prints: the top `limit` kernels, then the rest in one line. */
export function formatKernelProfile(kernels: KernelProfile[], limit = 12): string {
  const head = `      ${'kernel'.padEnd(24)}${'calls'.padStart(6)}${'wall ms'.padStart(9)}${'CPU ms'.padStart(9)}  rate`;
  const rows = kernels
    .slice(0, limit)
    .map((k) => `      ${k.kernel.padEnd(24)}${k.calls.toFixed(0).padStart(6)}${k.wallMs.toFixed(1).padStart(9)}${k.cpuMs.toFixed(1).padStart(9)}  ${kernelRate(k)}`);
  const rest = kernels.slice(limit);
  const sum = (f: (k: KernelProfile) => number, ks: KernelProfile[]) => ks.reduce((a, k) => a + f(k), 0);
  if (rest.length > 0) {
    rows.push(`      ${`${rest.length} others`.padEnd(24)}${sum((k) => k.calls, rest).toFixed(0).padStart(6)}${sum((k) => k.wallMs, rest).toFixed(1).padStart(9)}${sum((k) => k.cpuMs, rest).toFixed(1).padStart(9)}`);
  }
  rows.push(`      ${'all kernels'.padEnd(24)}${sum((k) => k.calls, kernels).toFixed(0).padStart(6)}${sum((k) => k.wallMs, kernels).toFixed(1).padStart(9)}${sum((k) => k.cpuMs, kernels).toFixed(1).padStart(9)}`);
  return [head, ...rows].join('\n');
}
