/**
 * Backend selection: tfjs-node-gpu → webgpu → tfjs-node → wasm → cpu. The first that
 * loads *and* passes the gradient smoke op becomes tf's backend; the report
 * says why each faster one was skipped.
 */
import * as tf from '@tensorflow/tfjs';
import type { BackendName, BackendReport } from '../../shared/backends';
import { BACKEND_NAMES } from '../../shared/backends';
import { BackendError, BackendUnavailable } from './errors';
import type { LoadedBackend } from './loaders';
import { LOADERS } from './loaders';
import { runGradientSmoke, SMOKE_TOLERANCE } from './smoke';

/** Options for selectBackend. */
export interface SelectBackendOptions {
  /** Use exactly this backend (from --backend / GAN_STUDIO_BACKEND); throw BackendError if it cannot. */
  forced?: BackendName;
  /**
   * Accept a software GPU adapter (llvmpipe, SwiftShader) for webgpu. Default:
   * only when forced — the user asked for webgpu by name.
   */
  softwareGpu?: boolean;
}

async function activate(name: BackendName, softwareGpu: boolean): Promise<LoadedBackend> {
  let loaded: LoadedBackend;
  try {
    loaded = await LOADERS[name]({ softwareGpu });
  } catch (err) {
    if (err instanceof BackendUnavailable) throw err;
    throw new BackendUnavailable(err instanceof Error ? err.message : String(err));
  }
  let ok: boolean;
  try {
    ok = await tf.setBackend(loaded.tfName);
  } catch (err) {
    throw new BackendUnavailable(`failed to initialise: ${err instanceof Error ? err.message : String(err)}`);
  }
  if (!ok) throw new BackendUnavailable('failed to initialise (tf.setBackend returned false)');
  let error: number;
  try {
    error = await runGradientSmoke();
  } catch (err) {
    throw new BackendUnavailable(`smoke op failed: ${err instanceof Error ? err.message : String(err)}`);
  }
  if (!(error <= SMOKE_TOLERANCE)) {
    throw new BackendUnavailable(
      `smoke op gave wrong conv gradients (max relative error ${error.toExponential(2)}, allowed ${SMOKE_TOLERANCE})`,
    );
  }
  return loaded;
}

/**
 * Picks and activates the training backend. Without `forced`, tries each in
 * order and falls back to cpu; with it, uses only that one.
 * @throws BackendError when a forced backend cannot be used.
 */
export async function selectBackend(options: SelectBackendOptions = {}): Promise<BackendReport> {
  const skipped: BackendReport['skipped'] = [];
  const order = options.forced === undefined ? BACKEND_NAMES : [options.forced];
  for (const name of order) {
    try {
      const loaded = await activate(name, options.softwareGpu ?? options.forced !== undefined);
      return { name, device: loaded.device(), skipped };
    } catch (err) {
      const reason = err instanceof Error ? err.message : String(err);
      if (options.forced !== undefined) throw new BackendError(name, reason);
      skipped.push({ name, reason });
    }
  }
  // cpu is always last and always loads; reaching here means tf itself is broken.
  throw new BackendError('cpu', skipped.at(-1)?.reason ?? 'no backend could be loaded');
}

/** One line per backend for terminal output, e.g. "backend: wasm — CPU (…)" + skip lines. */
export function formatBackendReport(report: BackendReport): string {
  const lines = [`backend: ${report.name} — ${report.device}`];
  for (const skip of report.skipped) lines.push(`  skipped ${skip.name}: ${skip.reason}`);
  return lines.join('\n');
}
