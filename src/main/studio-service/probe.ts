/**
 * Which backend a new run would train on, probed in this process. TF on a
 * GPU reserves nearly all device memory on first use unless told to grow;
 * the probe must not starve the trainer processes, so growth is turned on
 * (unless the user set it) before the backends load.
 */
import type { BackendReport } from '../../shared/backends';

export async function probeBackendInProcess(): Promise<BackendReport> {
  process.env.TF_FORCE_GPU_ALLOW_GROWTH ??= 'true';
  const { selectBackend } = await import('../training/backend');
  return selectBackend({});
}
