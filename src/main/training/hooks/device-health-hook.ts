/**
 * Stops training when the compute device failed without throwing (a lost
 * GPU, an out-of-memory error WebGPU only reported): after every step, and
 * before the checkpoint hook at an epoch's end or a stop, so a checkpoint is
 * never written from weights computed on garbage. It sits just before the
 * checkpoint hook.
 */
import type { DeviceHealth, EpochHook } from './types';

export function deviceHealthHook(health: DeviceHealth): EpochHook {
  const check = async () => health.check();
  return { name: 'device health', onStep: check, onEpochEnd: check, onStop: check };
}
