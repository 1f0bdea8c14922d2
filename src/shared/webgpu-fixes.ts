/**
 * What gives WebGPU a hardware adapter, per platform, and what to do with a
 * software one — the fix wording of the doctor's webgpu verdict (Dawn, in the
 * trainer process) and of its GPU window section (Chromium, desktop app),
 * kept in one place so the two never drift apart.
 */

/** What gives WebGPU a hardware adapter on each platform (issue 11: Vulkan, Metal, Direct3D 12). */
export const HARDWARE_ADAPTER_FIX: Record<string, string> = {
  linux:
    "for a hardware adapter, install your GPU's Vulkan driver: mesa-vulkan-drivers 24 or newer for AMD and Intel (Debian bookworm: apt-get install -t bookworm-backports mesa-vulkan-drivers; Dawn refuses older Mesa) or the NVIDIA driver, which brings its own; `vulkaninfo --summary` should then list the GPU",
  darwin: 'Metal is built into macOS (no driver to install): if no hardware adapter is found, update macOS; a Mac without a Metal GPU cannot use webgpu',
  win32: "for a hardware adapter, install or update your GPU vendor's driver (NVIDIA, AMD or Intel) with Direct3D 12 support (Windows 10 or later)",
};

const OTHER_PLATFORM_FIX = 'for a hardware adapter, webgpu needs a GPU driver with Vulkan, Metal or Direct3D 12 support; Dawn has no build for this platform otherwise';

/** The fix for a machine without a hardware adapter, on `os` (Node's process.platform). */
export function hardwareAdapterFix(os: string): string {
  return HARDWARE_ADAPTER_FIX[os] ?? OTHER_PLATFORM_FIX;
}

/** A hardware adapter whose backend still failed (outside Electron's trainer process). */
export const HARDWARE_FAILED_FIX = 'a hardware adapter was found but the backend failed (see why above): update the GPU driver; until then auto trains on the next backend';
