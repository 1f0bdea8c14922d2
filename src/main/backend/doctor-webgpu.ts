/**
 * What the webgpu backend's host (Dawn, npm `webgpu`) sees on this machine —
 * every adapter with its vendor, architecture and driver, software or
 * hardware, and the Vulkan drivers installed — and what to do when there is
 * no hardware adapter, per platform (worded in shared/webgpu-fixes.ts).
 * `webgpuFixes` is pure, so each platform's advice is tested here without
 * that platform.
 */
import { readdirSync } from 'node:fs';
import type { DoctorReport, WebgpuAdapterFinding, WebgpuProbe } from '../../shared/doctor';
import { HARDWARE_FAILED_FIX, hardwareAdapterFix } from '../../shared/webgpu-fixes';
import type { AdapterFacts } from './webgpu/adapter';
import { adapterFacts, isSoftwareAdapter } from './webgpu/adapter';
import { probeWebgpuAdapter } from './webgpu/load';

type PowerPreference = WebgpuAdapterFinding['powerPreferences'][number];

/** Where the Vulkan loader looks for driver manifests (ICDs) on Linux. */
export const VULKAN_ICD_DIRS = ['/usr/share/vulkan/icd.d', '/usr/local/share/vulkan/icd.d', '/etc/vulkan/icd.d'];

/** The ICD manifest names in `dirs` (missing folders are skipped), sorted, without duplicates. */
export function vulkanDriverManifests(dirs: string[] = VULKAN_ICD_DIRS, list: (dir: string) => string[] = readdirSync): string[] {
  const names = new Set<string>();
  for (const dir of dirs) {
    try {
      for (const name of list(dir)) if (name.endsWith('.json')) names.add(name);
    } catch {
      // No such folder: no drivers there.
    }
  }
  return [...names].sort();
}

/** Adds `facts` (returned for `preference`) to `adapters`, merging an adapter both preferences return. */
export function addAdapter(adapters: WebgpuAdapterFinding[], facts: AdapterFacts, preference: PowerPreference): void {
  const same = adapters.find(
    (found) =>
      found.vendor === facts.vendor &&
      found.architecture === facts.architecture &&
      found.device === facts.device &&
      found.description === facts.description &&
      found.isFallbackAdapter === facts.isFallbackAdapter,
  );
  if (same) same.powerPreferences.push(preference);
  else adapters.push({ ...facts, software: isSoftwareAdapter(facts), powerPreferences: [preference] });
}

/**
 * Asks Dawn for the high-performance adapter (the one tfjs-backend-webgpu
 * gets) and the low-power one: on a laptop they are the discrete and the
 * integrated GPU. Never throws: a Dawn that cannot load is the probe's `error`.
 */
export async function probeWebgpu(platform: NodeJS.Platform = process.platform): Promise<WebgpuProbe> {
  const vulkanDrivers = platform === 'linux' ? vulkanDriverManifests() : null;
  const adapters: WebgpuAdapterFinding[] = [];
  let highPerformance: AdapterFacts | null;
  try {
    highPerformance = await probeWebgpuAdapter();
  } catch (err) {
    return { adapters, error: err instanceof Error ? err.message : String(err), vulkanDrivers };
  }
  if (highPerformance !== null) addAdapter(adapters, highPerformance, 'high-performance');
  // probeWebgpuAdapter installed Dawn's navigator.gpu; ask it for the other preference too.
  const gpu = (globalThis as { navigator?: { gpu?: { requestAdapter(options: object): Promise<{ info: unknown } | null> } } }).navigator?.gpu;
  const lowPower = await gpu?.requestAdapter({ powerPreference: 'low-power' }).catch(() => null);
  if (lowPower) addAdapter(adapters, adapterFacts(lowPower.info as Record<string, unknown>), 'low-power');
  return { adapters, error: null, vulkanDrivers };
}

/** Inside Electron Dawn cannot read GPU memory back (docs/backends.md): the GPU window (Chromium's WebGPU) and plain Node can. */
export const ELECTRON_WEBGPU_FIX =
  "choose webgpu as the Backend in New run: the desktop app then trains in its GPU window, on Chromium's own WebGPU (its trainer process cannot read Dawn's GPU memory back); or from plain Node: npx gan-studio train --backend webgpu";

/**
 * What to do so webgpu trains on a hardware GPU, given what Dawn saw and
 * whether the backend `works` (loads and passes the smoke op, forced).
 */
export function webgpuFixes(probe: WebgpuProbe, platform: DoctorReport['platform'], works: boolean): string[] {
  const hardware = hardwareAdapterFix(platform.os);
  if (probe.error !== null) {
    if (probe.error.startsWith('not installed')) return ["npm install webgpu (Dawn's prebuilt WebGPU for Node, an optional dependency of the studio)"];
    return [`reinstall the webgpu package (npm install webgpu): its prebuilt dawn.node for ${platform.os}-${platform.arch} did not load`];
  }
  const first = probe.adapters[0];
  if (first === undefined) return [hardware];
  // How to use a software adapter anyway follows its "auto skips it" line, in each front end's words.
  if (first.software) return [hardware];
  if (works) return [];
  return [platform.runtime === 'electron' ? ELECTRON_WEBGPU_FIX : HARDWARE_FAILED_FIX];
}
