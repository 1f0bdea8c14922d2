/**
 * What the dynamic loader can find for tfjs-node-gpu (CUDA 11.2 / cuDNN 8.1
 * sonames) and whether an NVIDIA driver is installed. Inputs are injected so
 * the verdicts are testable without a GPU; `systemProbeInputs` reads them here.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { CudaProbe } from '../../shared/doctor';
import { CUDA_SONAMES } from './cuda';

export { CUDA_SONAMES };
export type { CudaProbe, SonameFinding } from '../../shared/doctor';

/** Directories the loader searches even when ldconfig's cache does not list them. */
export const STANDARD_LIB_DIRS = ['/lib', '/usr/lib', '/lib64', '/usr/lib64', '/usr/lib/x86_64-linux-gnu', '/usr/local/cuda/lib64', '/usr/local/cuda-11.2/lib64'];

/** What the probe looks at: all injectable. */
export interface ProbeInputs {
  /** `ldconfig -p` output, or null when ldconfig could not run. */
  ldconfigListing: string | null;
  /** LD_LIBRARY_PATH as set (may be empty). */
  ldLibraryPath: string;
  exists(file: string): boolean;
  /** Contents of /proc/driver/nvidia/version, or null when absent. */
  nvidiaProcVersion: string | null;
  /** True when `nvidia-smi` ran. */
  nvidiaSmiRuns: boolean;
  /** PCI devices of NVIDIA's vendor id (0x10de), seen with or without a driver; 0 where /sys cannot be read. */
  nvidiaPciDevices?: number;
}

/** Without a driver or an NVIDIA device, the CUDA libraries are beside the point: one line says so. */
export const NO_NVIDIA_GPU = 'no NVIDIA GPU here (no NVIDIA driver, nvidia-smi, libcuda.so.1 or NVIDIA PCI device found): tfjs-node-gpu trains on NVIDIA GPUs only';

function locate(soname: string, inputs: ProbeInputs): string | null {
  const dirs = inputs.ldLibraryPath.split(path.delimiter).filter((dir) => dir !== '');
  for (const dir of dirs) if (inputs.exists(path.join(dir, soname))) return dir;
  if (inputs.ldconfigListing !== null && new RegExp(`^\\s*${soname.replace(/\./g, '\\.')} `, 'm').test(inputs.ldconfigListing)) {
    return 'ldconfig cache';
  }
  for (const dir of STANDARD_LIB_DIRS) if (inputs.exists(path.join(dir, soname))) return dir;
  return null;
}

/** Finds each CUDA/cuDNN soname and the NVIDIA driver, and says how to fix what is missing. */
export function probeCuda(inputs: ProbeInputs): CudaProbe {
  const sonames = CUDA_SONAMES.map(({ soname, provider }) => ({ soname, provider, foundIn: locate(soname, inputs) }));
  const libcuda = locate('libcuda.so.1', inputs);
  const version = inputs.nvidiaProcVersion?.match(/Kernel Module\s+([\d.]+)/)?.[1] ?? null;
  const installed = inputs.nvidiaProcVersion !== null || inputs.nvidiaSmiRuns || libcuda !== null;
  const driver = { installed, version, nvidiaSmi: inputs.nvidiaSmiRuns, libcuda };
  const nvidiaGpu = installed || (inputs.nvidiaPciDevices ?? 0) > 0;
  if (!nvidiaGpu) return { sonames, driver, nvidiaGpu, fixes: [NO_NVIDIA_GPU] };
  const fixes: string[] = [];
  if (!installed) fixes.push('install the NVIDIA driver (no /proc/driver/nvidia/version, nvidia-smi or libcuda.so.1 found); without an NVIDIA GPU, tfjs-node-gpu cannot be used');
  const missing = sonames.filter((finding) => finding.foundIn === null);
  if (missing.some((finding) => finding.provider.startsWith('CUDA'))) {
    const names = missing.filter((finding) => finding.provider.startsWith('CUDA')).map((finding) => finding.soname);
    fixes.push(`install the CUDA 11.2 runtime libraries (missing ${names.join(', ')}) and add their folder (e.g. /usr/local/cuda-11.2/lib64) to LD_LIBRARY_PATH`);
  }
  if (missing.some((finding) => finding.soname === 'libcudnn.so.8')) {
    fixes.push('install cuDNN 8.1 for CUDA 11.2 (missing libcudnn.so.8) and add its lib folder to LD_LIBRARY_PATH');
  }
  return { sonames, driver, nvidiaGpu, fixes };
}

/** One line per soname and one for the driver, e.g. "  found libcudart.so.11.0 (ldconfig cache)". */
export function formatCudaProbe(probe: CudaProbe): string[] {
  const lines = probe.sonames.map((finding) =>
    finding.foundIn === null ? `missing ${finding.soname} (${finding.provider})` : `found   ${finding.soname} (${finding.foundIn})`,
  );
  const driver = probe.driver;
  lines.push(
    driver.installed
      ? `driver  NVIDIA ${driver.version ?? '(version unknown)'}; nvidia-smi ${driver.nvidiaSmi ? 'runs' : 'not found'}; libcuda.so.1 ${driver.libcuda ?? 'not found'}`
      : 'driver  no NVIDIA driver found',
  );
  return lines;
}

function runs(command: string, args: string[]): string | null {
  try {
    return execFileSync(command, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'], timeout: 5000 });
  } catch {
    return null;
  }
}

/** The probe inputs of this machine. */
export function systemProbeInputs(env: NodeJS.ProcessEnv = process.env): ProbeInputs {
  let listing: string | null = null;
  for (const ldconfig of ['ldconfig', '/sbin/ldconfig', '/usr/sbin/ldconfig']) {
    listing = runs(ldconfig, ['-p']);
    if (listing !== null) break;
  }
  let procVersion: string | null = null;
  try {
    procVersion = readFileSync('/proc/driver/nvidia/version', 'utf8');
  } catch {
    // No NVIDIA kernel module loaded.
  }
  return {
    ldconfigListing: listing,
    ldLibraryPath: env.LD_LIBRARY_PATH ?? '',
    exists: existsSync,
    nvidiaProcVersion: procVersion,
    nvidiaSmiRuns: runs('nvidia-smi', ['-L']) !== null,
    nvidiaPciDevices: nvidiaPciDevices(),
  };
}

const PCI_DEVICES = '/sys/bus/pci/devices';

/** How many PCI devices carry NVIDIA's vendor id (0x10de): a GPU is there even when its driver is not. */
export function nvidiaPciDevices(root = PCI_DEVICES): number {
  let devices: string[];
  try {
    devices = readdirSync(root);
  } catch {
    return 0; // not Linux, or /sys hidden (a container)
  }
  return devices.filter((device) => {
    try {
      return readFileSync(path.join(root, device, 'vendor'), 'utf8').trim() === '0x10de';
    } catch {
      return false;
    }
  }).length;
}
