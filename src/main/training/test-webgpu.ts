/**
 * Whether a test that needs a WebGPU adapter can run here (llvmpipe in CI):
 * without one it is skipped with a printed reason, and under CI=true it fails.
 * A minimal stand-in until helper wgtests' backend/webgpu/test-availability.ts
 * (checkWebgpuForTests) is on main; then use that.
 */
import { describeAdapter } from './backend/webgpu/adapter';
import { probeWebgpuAdapter } from './backend/webgpu/load';

const FIX = 'install Mesa ≥ 25 from bookworm-backports: apt-get install -t bookworm-backports mesa-vulkan-drivers (as .ci/run does)';

/** The adapter's description, or undefined (reason printed) when there is none; throws under CI=true. */
export async function webgpuAdapterForTests(suite: string): Promise<string | undefined> {
  const probe = await probeWebgpuAdapter().catch((err: unknown) => (err instanceof Error ? err : new Error(String(err))));
  if (probe !== null && !(probe instanceof Error)) return describeAdapter(probe);
  const reason = probe === null ? 'no WebGPU adapter (no Vulkan driver Dawn accepts)' : `the WebGPU probe failed: ${probe.message}`;
  if (process.env.CI === 'true') throw new Error(`${suite} cannot run: ${reason}. CI must run it: ${FIX}.`);
  console.warn(`!! SKIPPED ${suite}: ${reason}. Fix: ${FIX}`);
  return undefined;
}
