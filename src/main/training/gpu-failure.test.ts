/**
 * GPU failures as the user reads them, without a GPU: the shapes below are
 * what Dawn reports (messages copied from llvmpipe runs, see docs/backends.md).
 */
import { describe, expect, it } from 'vitest';
import { classifyFailure } from './errors';
import { deviceLostFailure, gpuFailureAdvice, reportedGpuFailure } from './gpu-failure';

const DAWN_OOM = 'vkCreateBuffer failed with VK_ERROR_OUT_OF_DEVICE_MEMORY\n    at CheckVkOOMThenSuccessImpl (VulkanError.cpp:119)';
const DAWN_BINDING =
  'Binding size (4294967040) of [Buffer (unlabeled)] is larger than the maximum storage buffer binding size (134217728).\n - While validating entries[1]';

describe('GPU failures', () => {
  it('a lost device is its own kind, saying why without the call stack', () => {
    const destroyed = classifyFailure(deviceLostFailure({ reason: 'destroyed', message: 'device was destroyed' }));
    expect(destroyed.kind).toBe('gpu-device-lost');
    expect(destroyed.error.message).toBe('The GPU stopped working during training: WebGPU lost its device (the device was destroyed; reason "destroyed": device was destroyed).');
    const reset = deviceLostFailure({ reason: 'unknown', message: 'Device lost\n - While calling Queue.Submit' });
    expect(reset.kind).toBe('gpu-device-lost');
    expect(reset.message).toMatch(/driver reset the GPU .*reason "unknown": Device lost\)\.$/);
  });

  it('GPUOutOfMemoryError is out-of-memory with a GPU message and what to try', () => {
    const failure = classifyFailure(reportedGpuFailure({ name: 'GPUOutOfMemoryError', message: DAWN_OOM }));
    expect(failure.kind).toBe('out-of-memory');
    expect(failure.error.message).toBe(
      'Out of GPU memory: WebGPU could not allocate a buffer (vkCreateBuffer failed with VK_ERROR_OUT_OF_DEVICE_MEMORY). ' +
        'Try a smaller batch size or model (--batch-size, --filter-scale), or train on another backend.',
    );
  });

  it('a buffer over the device limits is out-of-memory too; any other GPU error is a plain error', () => {
    const tooLarge = reportedGpuFailure({ name: 'GPUValidationError', message: DAWN_BINDING });
    expect(tooLarge.kind).toBe('out-of-memory');
    expect(tooLarge.message).toMatch(/^A tensor is too large for this GPU \(Binding size \(4294967040\).*\(134217728\)\.\)\. Try a smaller batch size/);
    const overMax = reportedGpuFailure({ name: 'GPUValidationError', message: 'Buffer size (1099511627776) exceeds the max buffer size limit (4294967295).' });
    expect(overMax.kind).toBe('out-of-memory');
    const invalid = reportedGpuFailure({ name: 'GPUValidationError', message: '[Invalid CommandBuffer] is invalid due to a previous error.\n - While calling [Queue].Submit' });
    expect(invalid.kind).toBe('error');
    expect(invalid.message).toBe(
      "The GPU reported an error, so this step's results cannot be trusted (GPUValidationError: [Invalid CommandBuffer] is invalid due to a previous error.). Train on another backend.",
    );
    expect(reportedGpuFailure({ name: 'GPUInternalError', message: 'too large' }).kind).toBe('error');
  });

  it('the advice names the checkpoint a resume continues from, and the command for another backend', () => {
    const atEpochEnd = gpuFailureAdvice('/runs/r', { checkpoint: 'step-00000004', step: 4, completedEpochs: 2, stepInEpoch: 0 });
    expect(atEpochEnd).toBe(
      'No checkpoint was written now: the weights on the GPU cannot be trusted (or read). ' +
        'Resuming continues from checkpoint step-00000004 (end of epoch 2, step 4); the steps after it are trained again. ' +
        'Resume the run (a new trainer gets a new GPU device), or resume it on another backend: gan-studio train --resume /runs/r --backend wasm',
    );
    expect(gpuFailureAdvice('/runs/r', { checkpoint: 'step-00000010', step: 10, completedEpochs: 2, stepInEpoch: 3 })).toMatch(/step-00000010 \(epoch 3, 3 steps in, step 10\)/);
    expect(gpuFailureAdvice('/runs/r', undefined)).toMatch(/no checkpoint yet: resuming starts it from the beginning/);
    // A folder a shell would split is quoted, so the command can be pasted.
    expect(gpuFailureAdvice("/home/ann/my runs/it's", undefined)).toMatch(/--resume '\/home\/ann\/my runs\/it'\\''s' --backend wasm$/);
  });
});
