import { describe, expect, it } from 'vitest';
import type { WebgpuAdapterFinding, WebgpuProbe } from '../../shared/doctor';
import { addAdapter, ELECTRON_WEBGPU_FIX, vulkanDriverManifests, webgpuFixes } from './doctor-webgpu';
import { HARDWARE_ADAPTER_FIX, HARDWARE_FAILED_FIX } from '../../shared/webgpu-fixes';
import { adapterFacts } from './webgpu/adapter';

const LINUX = { os: 'linux', arch: 'x64', runtime: 'node' } as const;
const none = (error: string | null = null): WebgpuProbe => ({ adapters: [], error, vulkanDrivers: [] });

describe('webgpuFixes', () => {
  it('no adapter: the driver that gives one on each platform (Vulkan, Metal, Direct3D 12)', () => {
    expect(webgpuFixes(none(), LINUX, false)).toEqual([
      "for a hardware adapter, install your GPU's Vulkan driver: mesa-vulkan-drivers 24 or newer for AMD and Intel (Debian bookworm: apt-get install -t bookworm-backports mesa-vulkan-drivers; Dawn refuses older Mesa) or the NVIDIA driver, which brings its own; `vulkaninfo --summary` should then list the GPU",
    ]);
    expect(webgpuFixes(none(), { os: 'darwin', arch: 'arm64', runtime: 'node' }, false)).toEqual([
      'Metal is built into macOS (no driver to install): if no hardware adapter is found, update macOS; a Mac without a Metal GPU cannot use webgpu',
    ]);
    expect(webgpuFixes(none(), { os: 'win32', arch: 'x64', runtime: 'node' }, false)).toEqual([
      "for a hardware adapter, install or update your GPU vendor's driver (NVIDIA, AMD or Intel) with Direct3D 12 support (Windows 10 or later)",
    ]);
    expect(webgpuFixes(none(), { os: 'freebsd', arch: 'x64', runtime: 'node' }, false)[0]).toMatch(/^for a hardware adapter, webgpu needs a GPU driver with Vulkan, Metal or Direct3D 12/);
  });

  it('Dawn missing or not loading: the package fix, naming the platform build', () => {
    expect(webgpuFixes(none('not installed (npm package webgpu)'), LINUX, false)).toEqual([
      "npm install webgpu (Dawn's prebuilt WebGPU for Node, an optional dependency of the studio)",
    ]);
    expect(webgpuFixes(none('Dawn (dawn.node) failed to load: GLIBC_2.34 not found'), { os: 'linux', arch: 'arm64', runtime: 'node' }, false)).toEqual([
      'reinstall the webgpu package (npm install webgpu): its prebuilt dawn.node for linux-arm64 did not load',
    ]);
  });

  it('a software adapter: force it or install the hardware driver; once it fails, only the driver', () => {
    const adapters: WebgpuAdapterFinding[] = [];
    addAdapter(adapters, adapterFacts({ vendor: 'mesa', architecture: 'software', description: 'llvmpipe' }), 'high-performance');
    const probe = { adapters, error: null, vulkanDrivers: ['lvp_icd.json'] };
    // How to force it is the front end's line after "auto skips it" (the CLI's flag, the studio's Backend setting), not a fix.
    expect(webgpuFixes(probe, LINUX, true)).toEqual([HARDWARE_ADAPTER_FIX.linux]);
    expect(webgpuFixes(probe, LINUX, false)).toEqual([HARDWARE_ADAPTER_FIX.linux]);
  });

  it('a hardware adapter: nothing to fix when it works; when it fails, the driver — or, inside Electron, the GPU window', () => {
    const adapters: WebgpuAdapterFinding[] = [];
    addAdapter(adapters, adapterFacts({ vendor: 'apple', architecture: 'metal-3', description: 'Apple M2' }), 'high-performance');
    const probe = { adapters, error: null, vulkanDrivers: null };
    const mac = { os: 'darwin', arch: 'arm64', runtime: 'node' } as const;
    expect(webgpuFixes(probe, mac, true)).toEqual([]);
    expect(webgpuFixes(probe, mac, false)).toEqual([HARDWARE_FAILED_FIX]);
    expect(webgpuFixes(probe, { ...mac, runtime: 'electron' }, false)).toEqual([
      ELECTRON_WEBGPU_FIX,
    ]);
    expect(ELECTRON_WEBGPU_FIX).toMatch(/^choose webgpu as the Backend in New run: the desktop app then trains in its GPU window/);
  });
});

describe('addAdapter', () => {
  it('merges the adapter both power preferences return and keeps a second GPU apart', () => {
    const adapters: WebgpuAdapterFinding[] = [];
    const discrete = adapterFacts({ vendor: 'nvidia', architecture: 'ampere', description: 'NVIDIA GeForce RTX 3060 Laptop GPU' });
    const integrated = adapterFacts({ vendor: 'intel', architecture: 'gen-12lp', description: 'Intel(R) Iris(R) Xe Graphics' });
    addAdapter(adapters, discrete, 'high-performance');
    addAdapter(adapters, integrated, 'low-power');
    expect(adapters.map((adapter) => [adapter.vendor, adapter.software, adapter.powerPreferences])).toEqual([
      ['nvidia', false, ['high-performance']],
      ['intel', false, ['low-power']],
    ]);
    const single: WebgpuAdapterFinding[] = [];
    addAdapter(single, discrete, 'high-performance');
    addAdapter(single, { ...discrete }, 'low-power');
    expect(single).toHaveLength(1);
    expect(single[0]!.powerPreferences).toEqual(['high-performance', 'low-power']);
  });
});

describe('vulkanDriverManifests', () => {
  it('lists the ICD manifests of every folder once, sorted, skipping missing folders and other files', () => {
    const folders: Record<string, string[]> = {
      '/usr/share/vulkan/icd.d': ['radeon_icd.json', 'lvp_icd.json', 'README'],
      '/etc/vulkan/icd.d': ['nvidia_icd.json', 'lvp_icd.json'],
    };
    const list = (dir: string): string[] => {
      const names = folders[dir];
      if (!names) throw Object.assign(new Error(`ENOENT: ${dir}`), { code: 'ENOENT' });
      return names;
    };
    expect(vulkanDriverManifests(undefined, list)).toEqual(['lvp_icd.json', 'nvidia_icd.json', 'radeon_icd.json']);
    expect(vulkanDriverManifests(['/nowhere'], list)).toEqual([]);
  });
});
