/** Compute backends in the order the studio tries them. */
export const BACKEND_NAMES = ['tfjs-node-gpu', 'webgpu', 'tfjs-node', 'wasm', 'cpu'] as const;
export type BackendName = (typeof BACKEND_NAMES)[number];

/** Which backend trains, on what device, and why faster ones were skipped. */
export interface BackendReport {
  name: BackendName;
  /** Human-readable device, e.g. "CPU (2 cores, pure JS)" or "GPU (CUDA)". */
  device: string;
  skipped: { name: BackendName; reason: string }[];
}
