import { describe, expect, it } from 'vitest';
import type { ProbeInputs } from './doctor-probe';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CUDA_SONAMES, formatCudaProbe, NO_NVIDIA_GPU, nvidiaPciDevices, probeCuda } from './doctor-probe';

const ALL_CUDA = CUDA_SONAMES.map((entry) => entry.soname);

/** ldconfig -p lines as glibc prints them. */
function ldconfig(sonames: string[]): string {
  return `${sonames.length} libs found in cache \`/etc/ld.so.cache'\n` +
    sonames.map((soname) => `\t${soname} (libc6,x86-64) => /usr/lib/x86_64-linux-gnu/${soname}`).join('\n');
}

function inputs(overrides: Partial<ProbeInputs>): ProbeInputs {
  return { ldconfigListing: null, ldLibraryPath: '', exists: () => false, nvidiaProcVersion: null, nvidiaSmiRuns: false, ...overrides };
}

const DRIVER = 'NVRM version: NVIDIA UNIX x86_64 Kernel Module  535.183.01  Sun May 12 19:39:15 UTC 2024\n';

describe('probeCuda', () => {
  it('finds every soname in the ldconfig cache and the driver: no fix', () => {
    const probe = probeCuda(inputs({ ldconfigListing: ldconfig([...ALL_CUDA, 'libcuda.so.1']), nvidiaProcVersion: DRIVER, nvidiaSmiRuns: true }));
    expect(probe.fixes).toEqual([]);
    expect(formatCudaProbe(probe)).toEqual([
      ...CUDA_SONAMES.map((entry) => `found   ${entry.soname} (ldconfig cache)`),
      'driver  NVIDIA 535.183.01; nvidia-smi runs; libcuda.so.1 ldconfig cache',
    ]);
  });

  it('a missing cuDNN gives exactly the cuDNN fix line', () => {
    const present = ALL_CUDA.filter((soname) => soname !== 'libcudnn.so.8');
    const probe = probeCuda(inputs({ ldconfigListing: ldconfig([...present, 'libcuda.so.1']), nvidiaProcVersion: DRIVER }));
    expect(probe.fixes).toEqual(['install cuDNN 8.1 for CUDA 11.2 (missing libcudnn.so.8) and add its lib folder to LD_LIBRARY_PATH']);
    expect(formatCudaProbe(probe)).toContain('missing libcudnn.so.8 (cuDNN 8.1)');
    expect(formatCudaProbe(probe)).toContain('found   libcudart.so.11.0 (ldconfig cache)');
  });

  it('finds libraries through LD_LIBRARY_PATH before the cache, and names the folder', () => {
    const files = new Set(ALL_CUDA.map((soname) => `/opt/cuda-11.2/lib64/${soname}`));
    const probe = probeCuda(inputs({ ldLibraryPath: '/nowhere:/opt/cuda-11.2/lib64', exists: (file) => files.has(file), nvidiaSmiRuns: true }));
    expect(probe.sonames.every((finding) => finding.foundIn === '/opt/cuda-11.2/lib64')).toBe(true);
    expect(probe.fixes).toEqual([]);
    expect(probe.driver).toEqual({ installed: true, version: null, nvidiaSmi: true, libcuda: null });
  });

  it('finds libraries in a standard folder when ldconfig cannot run', () => {
    const probe = probeCuda(inputs({ exists: (file) => file === '/usr/local/cuda/lib64/libcudart.so.11.0' }));
    expect(probe.sonames.find((finding) => finding.soname === 'libcudart.so.11.0')?.foundIn).toBe('/usr/local/cuda/lib64');
  });

  it('without an NVIDIA GPU (no driver, no NVIDIA PCI device) says so once, instead of eight missing libraries', () => {
    const probe = probeCuda(inputs({}));
    expect(probe.nvidiaGpu).toBe(false);
    expect(probe.fixes).toEqual([NO_NVIDIA_GPU]);
  });

  it('counts the PCI devices with NVIDIA’s vendor id', async () => {
    const root = await mkdtemp(join(tmpdir(), 'pci-'));
    try {
      for (const [device, vendor] of [['0000:00:01.0', '0x8086'], ['0000:01:00.0', '0x10de'], ['0000:01:00.1', '0x10de']]) {
        await mkdir(join(root, device!));
        await writeFile(join(root, device!, 'vendor'), `${vendor}\n`);
      }
      expect(nvidiaPciDevices(root)).toBe(2);
      expect(nvidiaPciDevices(join(root, 'missing'))).toBe(0);
    } finally {
      await rm(root, { recursive: true, force: true });
    }
  });

  it('a CUDA 12 install (other sonames) is missing the 11.x runtime; an NVIDIA GPU without its driver gives the driver fix first', () => {
    const probe = probeCuda(inputs({ ldconfigListing: ldconfig(['libcudart.so.12', 'libcublas.so.12', 'libcudnn.so.8']), nvidiaPciDevices: 1 }));
    expect(probe.fixes[0]).toMatch(/^install the NVIDIA driver/);
    expect(probe.fixes[1]).toBe(
      'install the CUDA 11.2 runtime libraries (missing libcudart.so.11.0, libcublas.so.11, libcublasLt.so.11, libcufft.so.10, libcurand.so.10, libcusolver.so.11, libcusparse.so.11) and add their folder (e.g. /usr/local/cuda-11.2/lib64) to LD_LIBRARY_PATH',
    );
    expect(probe.fixes).toHaveLength(2);
    expect(formatCudaProbe(probe).at(-1)).toBe('driver  no NVIDIA driver found');
  });

  it('does not take a longer soname for the one asked (libcudnn.so.8.1.0 is not libcudnn.so.8)', () => {
    const probe = probeCuda(inputs({ ldconfigListing: ldconfig(['libcudnn.so.8.1.0']) }));
    expect(probe.sonames.find((finding) => finding.soname === 'libcudnn.so.8')?.foundIn).toBeNull();
  });
});
