/**
 * The fixed latent vectors behind every sample grid, stored once in the run's
 * noise.bin (raw little-endian float32, rows·cols × latentDim) so each grid —
 * before and after a resume — shows the same faces of the generator.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { TrainingConfig } from '../../shared/config';
import { RUN_FILES, RunDirError, writeFileAtomic } from '../runs';
import { Rng } from '../common/rng';

/** Number of floats noise.bin must hold for this config. */
export function fixedNoiseLength(config: TrainingConfig): number {
  return config.gridRows * config.gridCols * config.latentDim;
}

/** Read noise.bin, or draw it from the run's seed and write it when absent. */
export async function loadOrCreateFixedNoise(runDir: string, config: TrainingConfig): Promise<Float32Array> {
  const file = join(runDir, RUN_FILES.noise);
  const expected = fixedNoiseLength(config);
  let bytes: Buffer | undefined;
  try {
    bytes = await readFile(file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  if (bytes) {
    if (bytes.byteLength !== expected * 4) {
      throw new RunDirError(
        `${file}: expected ${expected} float32 values (${config.gridRows}×${config.gridCols} grid × latent ${config.latentDim}), ` +
          `got ${bytes.byteLength} bytes: the file is damaged. Resuming the run restores it from its newest checkpoint's copy (checkpoints/<step>/noise.bin); the run's checkpoints, metrics and samples are untouched.`,
      );
    }
    return new Float32Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength));
  }
  const noise = Rng.stream(config.seed, 'fixedNoise').normals(expected);
  await writeFileAtomic(file, new Uint8Array(noise.buffer));
  return noise;
}
