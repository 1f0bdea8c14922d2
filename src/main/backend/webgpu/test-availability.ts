/**
 * Whether the webgpu tests can run here. They need a WebGPU adapter — on a
 * machine without a GPU, Mesa's llvmpipe Vulkan driver (bookworm-backports).
 * A dev machine without one skips them with a loud banner; under CI=true a
 * missing adapter fails the run: CI must install the driver.
 */
import type { AdapterFacts } from './adapter';
import { describeAdapter } from './adapter';
import { probeWebgpuAdapter } from './load';

export type WebgpuTestAvailability = { run: true; adapter: string } | { run: false; banner: string };

const DRIVER_FIX =
  'add bookworm-backports to apt\'s sources and apt-get install -t bookworm-backports mesa-vulkan-drivers (Mesa ≥ 25; as .ci/run does)';

/**
 * What to do given the probe's outcome: the adapter found, null (none), or
 * the error that stopped the probe (e.g. dawn.node failed to load).
 * @throws Error under CI=true when there is no adapter.
 */
export function webgpuTestAvailability(probe: AdapterFacts | null | Error, env: NodeJS.ProcessEnv): WebgpuTestAvailability {
  if (probe !== null && !(probe instanceof Error)) return { run: true, adapter: describeAdapter(probe) };
  const reason = probe === null ? 'no WebGPU adapter (no Vulkan driver Dawn accepts)' : `the WebGPU probe failed: ${probe.message}`;
  if (env.CI === 'true') {
    throw new Error(`The webgpu tests cannot run: ${reason}. CI must run them: ${DRIVER_FIX}.`);
  }
  const line = '!'.repeat(78);
  return {
    run: false,
    banner: [
      line,
      '!! WEBGPU SKIPPED: the webgpu backend tests (smoke, presets, webgpu vs cpu, memory, resume) did not run.',
      `!! Why: ${reason}. Fix: ${DRIVER_FIX}`,
      line,
    ].join('\n'),
  };
}

/**
 * Per-test limit for the heavier llvmpipe tests: a CPU emulating a GPU while the
 * other test worker trains too (dcgan-64's pass alone took 80 s on a loaded 2-core machine).
 */
export const LLVMPIPE_TIMEOUT_MS = 300_000;

let probed: Promise<WebgpuTestAvailability> | undefined;

/** Probes the adapter once per process and prints the banner when the tests will be skipped. */
export function checkWebgpuForTests(env: NodeJS.ProcessEnv = process.env): Promise<WebgpuTestAvailability> {
  probed ??= probeWebgpuAdapter()
    .catch((err: unknown) => (err instanceof Error ? err : new Error(String(err))))
    .then((probe) => {
      const availability = webgpuTestAvailability(probe, env);
      if (!availability.run) console.warn(availability.banner);
      return availability;
    });
  return probed;
}
