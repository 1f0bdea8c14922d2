/**
 * Watches the GPUDevice tfjs trains on for the failures WebGPU reports
 * asynchronously instead of throwing: `device.lost` and `uncapturederror`
 * (out of memory, over-limit or invalid buffers — after which tfjs goes on
 * computing on garbage). Dawn delivers an uncaptured error while the failing
 * call runs, so checking after a step or a hook sees every error it caused
 * (measured on llvmpipe: no await is needed). The training
 * loop checks between steps (hooks/device-health-hook.ts); the trainer asks
 * `explain` why a step threw (a lost device rejects readbacks with an empty
 * DOMException).
 */
import * as tf from '@tensorflow/tfjs';
import type { TrainingError } from './errors';
import { deviceLostFailure, reportedGpuFailure, type DeviceLostInfo, type ReportedGpuError } from './gpu-failure';

/** GPUUncapturedErrorEvent as Dawn fires it (its error has a message; `name` may be absent). */
interface UncapturedErrorEvent {
  error: Partial<ReportedGpuError>;
}

/** The part of GPUDevice the watch uses. */
export interface WatchedDevice {
  readonly lost: Promise<DeviceLostInfo>;
  addEventListener(type: 'uncapturederror', listener: (event: UncapturedErrorEvent) => void): void;
  removeEventListener(type: 'uncapturederror', listener: (event: UncapturedErrorEvent) => void): void;
}

/** How long `explain` waits for `device.lost` after a step threw (on llvmpipe it resolves before the readbacks it rejects). */
const LOST_GRACE_MS = 500;

export class GpuDeviceWatch {
  /** The first failure seen; a lost device replaces an error reported before it (it explains that error too). */
  private seen: TrainingError | undefined;
  private lostSeen = false;
  private readonly lost: Promise<void>;
  private readonly onError = (event: UncapturedErrorEvent) => {
    this.seen ??= reportedGpuFailure({ name: errorName(event.error), message: String(event.error.message ?? '') });
  };

  constructor(private readonly device: WatchedDevice) {
    device.addEventListener('uncapturederror', this.onError);
    this.lost = device.lost.then((info) => {
      this.lostSeen = true;
      this.seen = deviceLostFailure(info);
    });
  }

  /** The failure seen so far, if any. */
  get failure(): TrainingError | undefined {
    return this.seen;
  }

  /** Throws the failure seen so far: training must not go on (or checkpoint) on garbage or a lost device. */
  check(): void {
    if (this.seen) throw this.seen;
  }

  /** Why `error` was thrown: the GPU failure behind it when there is one, else `error` itself. */
  async explain(error: unknown): Promise<unknown> {
    if (!this.lostSeen) await Promise.race([this.lost, new Promise((resolve) => unrefd(setTimeout(resolve, LOST_GRACE_MS)))]);
    return this.seen ?? error;
  }

  dispose(): void {
    this.device.removeEventListener('uncapturederror', this.onError);
  }
}

/** Dawn's GPUError objects have no `name`: their class (GPUOutOfMemoryError, …) says which kind. */
function errorName(error: { name?: unknown }): string {
  const ctor = (error as { constructor?: { name?: unknown } }).constructor?.name;
  if (typeof ctor === 'string' && ctor.startsWith('GPU')) return ctor;
  return typeof error.name === 'string' && error.name ? error.name : 'GPUError';
}

/** A watch on the device of tf's active backend when that is webgpu; undefined on every other backend. */
export function watchActiveGpuDevice(): GpuDeviceWatch | undefined {
  if (tf.getBackend() !== 'webgpu') return undefined;
  const device = (tf.backend() as unknown as { device?: WatchedDevice }).device;
  return device ? new GpuDeviceWatch(device) : undefined;
}

/** Node's timers must not keep the trainer process alive; a page's (the GPU host window) have no unref. */
function unrefd(timer: ReturnType<typeof setTimeout>): void {
  (timer as { unref?: () => void }).unref?.();
}
