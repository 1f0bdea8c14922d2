/**
 * The safety net: a wasm backend whose conv gradients are wrong (here a
 * pre-registered Conv2DBackpropFilter that returns zeros, which the studio's
 * registration leaves alone as it would a future tfjs kernel) must be
 * skipped with the error figure, never trained on.
 */
import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { BackendError, selectBackend } from './index';
import type { WasmBackendLike } from './wasm/kernel-ops';

describe('selectBackend with a wrong wasm gradient kernel', () => {
  it('skips wasm with the smoke error and falls back to cpu', async () => {
    tf.registerKernel({
      kernelName: tf.Conv2DBackpropFilter,
      backendName: 'wasm',
      kernelFunc: ({ attrs, backend }) => {
        const wasm = backend as WasmBackendLike;
        const out = wasm.makeOutput((attrs as unknown as tf.Conv2DBackpropFilterAttrs).filterShape, 'float32');
        wasm.typedArrayFromHeap(out).fill(0);
        return out;
      },
    });
    const report = await selectBackend();
    expect(report.name).toBe('cpu');
    expect(report.skipped.find((s) => s.name === 'wasm')?.reason).toMatch(/^smoke op gave wrong conv gradients \(max relative error 1\.00e\+0/);
    await expect(selectBackend({ forced: 'wasm' })).rejects.toThrow(BackendError);
  });
});
