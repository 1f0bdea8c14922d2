import { describe, expect, it } from 'vitest';
import { failureNotice } from './failure-notice';

describe('failureNotice', () => {
  it('a lost GPU offers Resume, and Resume on wasm when the GPU keeps failing', () => {
    const notice = failureNotice('gpu-device-lost', 'failed', 'webgpu');
    expect(notice).toMatchObject({ title: 'The GPU stopped working', resumeFails: false, resumeOn: 'wasm' });
    expect(notice.advice).toMatch(/new GPU device.*resume on the CPU \(wasm\)/);
  });

  it('out of memory offers Resume on wasm only when the memory was a GPU\'s', () => {
    expect(failureNotice('out-of-memory', 'failed', 'webgpu').resumeOn).toBe('wasm');
    expect(failureNotice('out-of-memory', 'failed', 'tfjs-node-gpu').resumeOn).toBe('wasm');
    expect(failureNotice('out-of-memory', 'failed', 'wasm').resumeOn).toBeUndefined();
    expect(failureNotice('out-of-memory', 'failed').resumeOn).toBeUndefined();
    for (const kind of ['nan', 'disk-full', 'bad-input', 'error']) expect(failureNotice(kind, 'failed', 'webgpu').resumeOn).toBeUndefined();
  });

  it('bad input offers a new variant instead of a resume that would fail the same way', () => {
    expect(failureNotice('bad-input', 'failed').resumeFails).toBe(true);
    for (const kind of ['nan', 'out-of-memory', 'disk-full', 'gpu-device-lost', 'error', 'crashed']) expect(failureNotice(kind, 'failed').resumeFails).toBe(false);
  });

  it('each kind has its own title; older or unknown strings get the closest one', () => {
    expect(failureNotice('disk-full', 'failed').title).toBe('The disk is full');
    expect(failureNotice('out-of-memory', 'failed').title).toBe('Out of memory');
    expect(failureNotice('CUDA OOM', 'failed').title).toBe('Out of memory');
    expect(failureNotice('NaN', 'failed').title).toBe('Training diverged: a loss became NaN');
    expect(failureNotice(undefined, 'crashed').title).toBe('The trainer process crashed');
    expect(failureNotice('something-new', 'crashed').title).toBe('The trainer process crashed');
    expect(failureNotice('something-new', 'failed').title).toBe('Training failed');
  });
});
