/**
 * What a GPU failure in the middle of a run means for the user. WebGPU never
 * throws these: a lost device resolves `device.lost`, and an out-of-memory or
 * validation error is only reported as an `uncapturederror` event while tfjs
 * goes on computing with an invalid buffer (garbage). device-watch.ts collects
 * them; these pure functions turn them into TrainingErrors with a kind the UI
 * acts on, so they test without a GPU.
 */
import { TrainingError } from './errors';
import type { ResumeAt } from './resume-point';

/** GPUDeviceLostInfo's fields. */
export interface DeviceLostInfo {
  /** 'destroyed' (GPUDevice.destroy()) or 'unknown' (driver reset, GPU removed, …). */
  reason: string;
  message: string;
}

/** A GPUError as an `uncapturederror` event carries it: the class name says which kind. */
export interface ReportedGpuError {
  /** GPUOutOfMemoryError, GPUValidationError or GPUInternalError. */
  name: string;
  message: string;
}

const SMALLER = 'Try a smaller batch size or model (--batch-size, --filter-scale), or train on another backend.';
// Dawn's wording when a buffer or a binding is over the device's limits (maxBufferSize, maxStorageBufferBindingSize).
const OVER_LIMIT = /exceeds the max buffer size|larger than the maximum storage buffer binding size|exceeds the maximum|too large/i;

/** The first line of a Dawn message (the rest is its call stack: "- While calling …"). */
function firstLine(message: string): string {
  return message.trim().split('\n')[0]!.trim() || 'no message';
}

/** The device was lost: nothing on it, the weights included, can be read back. */
export function deviceLostFailure(info: DeviceLostInfo): TrainingError {
  const why =
    info.reason === 'destroyed'
      ? 'the device was destroyed'
      : 'the driver reset the GPU (a hang or timeout), the GPU was removed or went to sleep, or it ran out of memory';
  return new TrainingError('gpu-device-lost', `The GPU stopped working during training: WebGPU lost its device (${why}; reason "${info.reason}": ${firstLine(info.message)}).`);
}

/** An error WebGPU reported: out of memory and over-limit allocations are `out-of-memory`, anything else a plain `error`. */
export function reportedGpuFailure(error: ReportedGpuError): TrainingError {
  const detail = firstLine(error.message);
  if (error.name === 'GPUOutOfMemoryError') {
    return new TrainingError('out-of-memory', `Out of GPU memory: WebGPU could not allocate a buffer (${detail}). ${SMALLER}`);
  }
  if (error.name === 'GPUValidationError' && OVER_LIMIT.test(detail)) {
    return new TrainingError('out-of-memory', `A tensor is too large for this GPU (${detail}). ${SMALLER}`);
  }
  return new TrainingError('error', `The GPU reported an error, so this step's results cannot be trusted (${error.name}: ${detail}). Train on another backend.`);
}

/**
 * The end of a GPU failure's message: why no checkpoint was written now, where a
 * resume continues, and how to resume on another backend.
 */
export function gpuFailureAdvice(runDir: string, resumeAt: ResumeAt | undefined): string {
  const where = resumeAt
    ? `Resuming continues from checkpoint ${resumeAt.checkpoint} (` +
      `${resumeAt.stepInEpoch > 0 ? `epoch ${resumeAt.completedEpochs + 1}, ${resumeAt.stepInEpoch} steps in` : `end of epoch ${resumeAt.completedEpochs}`}, ` +
      `step ${resumeAt.step}); the steps after it are trained again.`
    : 'The run has no checkpoint yet: resuming starts it from the beginning.';
  return (
    `No checkpoint was written now: the weights on the GPU cannot be trusted (or read). ${where} ` +
    `Resume the run (a new trainer gets a new GPU device), or resume it on another backend: gan-studio train --resume ${shellWord(runDir)} --backend wasm`
  );
}

/** A path as one word a POSIX shell reads back unchanged (quoted only when it needs to be), so the command can be pasted. */
function shellWord(text: string): string {
  return /^[\w@%+=:,./-]+$/.test(text) ? text : `'${text.replace(/'/g, `'\\''`)}'`;
}
