/**
 * tfjs-node-gpu 4.22 is built against CUDA 11.2 and cuDNN 8.1; without
 * these exact sonames libtensorflow cannot use the GPU. Looking them up
 * before loading gives a clear skip reason instead of a dlopen error.
 */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';

/** The sonames libtensorflow 2.9 (tfjs-node-gpu 4.22) loads. */
export const CUDA_LIBRARIES = ['libcudart.so.11.0', 'libcudnn.so.8'] as const;

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

/** True when a load error is the dynamic loader failing on a CUDA/cuDNN library. */
export function isCudaLoadError(message: string): boolean {
  return /lib(cudart|cudnn|cublas|cufft|curand|cusolver|cusparse)[^\s]*\.so/.test(message);
}
