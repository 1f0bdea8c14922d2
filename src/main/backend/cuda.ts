/**
 * tfjs-node-gpu 4.22 is built against CUDA 11.2 and cuDNN 8.1; without
 * these exact sonames libtensorflow cannot use the GPU. Looking them up
 * before loading gives a clear skip reason instead of a dlopen error.
 */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';

/** Every soname libtensorflow 2.9 (tfjs-node-gpu 4.22) dlopens, with what provides it: the one list the loader and doctor read. */
export const CUDA_SONAMES: readonly { soname: string; provider: string }[] = [
  { soname: 'libcudart.so.11.0', provider: 'CUDA 11.2 runtime' },
  { soname: 'libcublas.so.11', provider: 'CUDA 11.2 cuBLAS' },
  { soname: 'libcublasLt.so.11', provider: 'CUDA 11.2 cuBLAS' },
  { soname: 'libcufft.so.10', provider: 'CUDA 11.2 cuFFT' },
  { soname: 'libcurand.so.10', provider: 'CUDA 11.2 cuRAND' },
  { soname: 'libcusolver.so.11', provider: 'CUDA 11.2 cuSOLVER' },
  { soname: 'libcusparse.so.11', provider: 'CUDA 11.2 cuSPARSE' },
  { soname: 'libcudnn.so.8', provider: 'cuDNN 8.1' },
];

/** The sonames alone, in the same order. */
export const CUDA_LIBRARIES: readonly string[] = CUDA_SONAMES.map((entry) => entry.soname);

/** The reason given whenever the CUDA libraries are missing. */
export const CUDA_MISSING_REASON = 'CUDA 11.2 / cuDNN 8.1 libraries not found';

function ldconfigListing(): string {
  for (const ldconfig of ['ldconfig', '/sbin/ldconfig', '/usr/sbin/ldconfig']) {
    try {
      return execFileSync(ldconfig, ['-p'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'], timeout: 5000 });
    } catch {
      // Not on PATH or not permitted: try the next location.
    }
  }
  return '';
}

/** Returns the CUDA/cuDNN libraries that neither ldconfig nor LD_LIBRARY_PATH knows. */
export function missingCudaLibraries(env: NodeJS.ProcessEnv = process.env): string[] {
  const listing = ldconfigListing();
  const dirs = (env.LD_LIBRARY_PATH ?? '').split(path.delimiter).filter((dir) => dir !== '');
  return CUDA_LIBRARIES.filter(
    (lib) => !listing.includes(`${lib} `) && !dirs.some((dir) => existsSync(path.join(dir, lib))),
  );
}

// "libcudnn.so.8: cannot open shared object file", any version suffix.
const CUDA_LOAD_ERROR = new RegExp(`(${CUDA_LIBRARIES.map((soname) => soname.split('.so')[0]).join('|')})[^\\s]*\\.so`);

/** True when a load error is the dynamic loader failing on a CUDA/cuDNN library. */
export function isCudaLoadError(message: string): boolean {
  return CUDA_LOAD_ERROR.test(message);
}

