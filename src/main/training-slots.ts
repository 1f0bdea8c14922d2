/**
 * How many runs train at once by default: one per NVIDIA GPU this process
 * may use (CUDA_VISIBLE_DEVICES, else `nvidia-smi -L`), else one — two CPU
 * trainers on the same cores only slow each other down.
 */
import { execFile } from 'node:child_process';

/** GPUs named by CUDA_VISIBLE_DEVICES ("0,1" → 2; "" or "-1" → 0); undefined when it is not set. */
export function visibleGpuCount(env: NodeJS.ProcessEnv): number | undefined {
  const visible = env.CUDA_VISIBLE_DEVICES;
  if (visible === undefined) return undefined;
  const ids = visible.split(',').map((id) => id.trim()).filter((id) => id !== '');
  // CUDA stops at the first invalid id such as -1: the ones before it are the visible ones.
  const invalid = ids.findIndex((id) => id.startsWith('-'));
  return invalid < 0 ? ids.length : invalid;
}

/** Lines of `nvidia-smi -L` that name a GPU. */
export function countNvidiaSmiGpus(output: string): number {
  return output.split('\n').filter((line) => /^GPU \d+:/.test(line.trim())).length;
}

/** One slot per usable GPU, at least one. */
export async function defaultMaxConcurrentRuns(env: NodeJS.ProcessEnv = process.env): Promise<number> {
  const visible = visibleGpuCount(env);
  if (visible !== undefined) return Math.max(1, visible);
  const listed = await new Promise<number>((resolve) => {
    execFile('nvidia-smi', ['-L'], { timeout: 5000 }, (error, stdout) => resolve(error ? 0 : countNvidiaSmiGpus(stdout)));
  });
  return Math.max(1, listed);
}
