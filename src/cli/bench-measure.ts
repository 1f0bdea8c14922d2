/**
 * Measures one training step of a preset at a batch size on the current tf
 * backend: the real models (models helper) and the real step (gan-step.ts),
 * warm-up steps first (kernel setup, XNNPACK operator creation, heap growth),
 * then the median of timed steps.
 */
import * as tf from '@tensorflow/tfjs';
import { resolveTrainingConfig } from '../shared/config';
import type { PresetName } from '../shared/presets';
import { createGanStep } from '../main/training/gan-step';
import { buildDiscriminator, buildGenerator, imageShapeOf } from '../main/training/models/index';
import { profileKernels } from './bench-profile';
import type { KernelProfile } from './bench-profile';

/** What to measure and how many steps. */
export interface MeasureOptions {
  preset: PresetName;
  batchSize: number;
  warmupSteps: number;
  timedSteps: number;
  /** Also profile one more step by kernel. */
  profile?: boolean;
}

/** One measured row. */
export interface Measurement {
  preset: PresetName;
  batchSize: number;
  /** Median wall time of one full step (D and G updates), ms. */
  stepMs: number;
  imagesPerSecond: number;
  /**
   * Images per second of this process's CPU time (user + system). On a
   * machine shared with other work this estimates what an idle machine gives
   * a single-threaded backend (cpu, wasm on one thread); multi-threaded
   * backends (tfjs-node, wasm on several threads) spend several CPU-seconds
   * per wall second, so there it reads low.
   */
  imagesPerCpuSecond: number;
  /** Kernels by time, per step (averaged over the timed steps' count of extra steps), when asked for. */
  kernels?: KernelProfile[];
}

const median = (values: number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
};

/** Builds the preset's G and D on the current backend and times its train step. */
export async function measureStep(options: MeasureOptions): Promise<Measurement> {
  const config = resolveTrainingConfig({ preset: options.preset, batchSize: options.batchSize, seed: 1 });
  const { size, channels } = imageShapeOf(config);
  const generator = buildGenerator(config);
  const discriminator = buildDiscriminator(config);
  const ganStep = createGanStep({ generator, discriminator, config });
  const real = tf.randomUniform([options.batchSize, size, size, channels], -1, 1, 'float32', 2) as tf.Tensor4D;
  const noise = tf.randomNormal([options.batchSize, config.latentDim], 0, 1, 'float32', 3) as tf.Tensor2D;
  try {
    let stepNumber = 0;
    for (let i = 0; i < options.warmupSteps; i++) await ganStep.step(real, noise, ++stepNumber);
    const times: number[] = [];
    const cpuTimes: number[] = [];
    for (let i = 0; i < options.timedSteps; i++) {
      const start = performance.now();
      const cpuStart = process.cpuUsage();
      await ganStep.step(real, noise, ++stepNumber);
      const cpu = process.cpuUsage(cpuStart);
      times.push(performance.now() - start);
      cpuTimes.push((cpu.user + cpu.system) / 1000);
    }
    const stepMs = median(times);
    const kernels = options.profile
      ? await profileKernels(async () => void (await ganStep.step(real, noise, ++stepNumber)), options.timedSteps)
      : undefined;
    return {
      kernels,
      preset: options.preset,
      batchSize: options.batchSize,
      stepMs,
      imagesPerSecond: options.batchSize / (stepMs / 1000),
      imagesPerCpuSecond: options.batchSize / (median(cpuTimes) / 1000),
    };
  } finally {
    tf.dispose([real, noise]);
    ganStep.dispose();
    generator.dispose();
    discriminator.dispose();
  }
}
