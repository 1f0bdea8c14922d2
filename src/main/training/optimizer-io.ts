/**
 * Adam state on disk: `<name>.json` lists each weight (name, shape, dtype,
 * byte offset) and `<name>.bin` holds the raw little-endian values, in the
 * order optimizer.getWeights() returns them (iterations, first moments,
 * second moments). setWeights pairs moments with variables by position, so the
 * same model topology restores exactly.
 *
 * The JSON also keeps Adam's running β-powers (`accBeta1`, `accBeta2`): tf.js
 * multiplies them by β once per step in float32, but setWeights recomputes them
 * as pow(β, t + 1), which differs in the last bits. Restoring the saved
 * products makes the next step's arithmetic — and so every later loss — the
 * same as a run never interrupted, also once a product has underflowed to 0
 * (β1 = 0.5 after step 149).
 */
import * as tf from '@tensorflow/tfjs';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

interface StoredWeight {
  name: string;
  shape: number[];
  dtype: 'float32' | 'int32';
  offset: number;
}

/** Adam's bias-correction products (β1^(t+1), β2^(t+1), as float32 running products); private in tf.js. */
interface AdamBetaPowers {
  accBeta1: tf.Variable;
  accBeta2: tf.Variable;
}

/** The optimizer's β-power variables, or undefined for an optimizer that has none. */
function betaPowersOf(optimizer: tf.Optimizer): AdamBetaPowers | undefined {
  const candidate = optimizer as unknown as Partial<AdamBetaPowers>;
  const isScalarVariable = (value: unknown): value is tf.Variable => value instanceof tf.Variable && value.rank === 0;
  return isScalarVariable(candidate.accBeta1) && isScalarVariable(candidate.accBeta2)
    ? { accBeta1: candidate.accBeta1, accBeta2: candidate.accBeta2 }
    : undefined;
}

/** An optimizer state file that does not fit the model it is restored into. */
export class OptimizerStateError extends Error {
  override name = 'OptimizerStateError';
}

/** Write an optimizer's state into `dir` as `<name>.json` + `<name>.bin` (call after at least one step). */
export async function saveOptimizerState(optimizer: tf.Optimizer, dir: string, name: string): Promise<void> {
  const weights = await optimizer.getWeights();
  const stored: StoredWeight[] = [];
  const chunks: Uint8Array[] = [];
  let offset = 0;
  for (const { name: weightName, tensor } of weights) {
    if (tensor.dtype !== 'float32' && tensor.dtype !== 'int32') {
      throw new OptimizerStateError(`Optimizer weight ${weightName}: expected float32 or int32, got ${tensor.dtype}.`);
    }
    const values = (await tensor.data()) as Float32Array | Int32Array;
    stored.push({ name: weightName, shape: tensor.shape, dtype: tensor.dtype, offset });
    chunks.push(new Uint8Array(values.buffer, values.byteOffset, values.byteLength));
    offset += values.byteLength;
  }
  // getWeights() makes a fresh scalar for the iteration count; the moments are the optimizer's own variables.
  tf.dispose(weights.filter((weight) => weight.name === 'iter').map((weight) => weight.tensor));
  // float32 → JSON number → float32 is exact, so the products come back bit for bit.
  const powers = betaPowersOf(optimizer);
  const betaPowers = powers ? { accBeta1: (await powers.accBeta1.data())[0], accBeta2: (await powers.accBeta2.data())[0] } : undefined;
  await writeFile(join(dir, `${name}.bin`), Buffer.concat(chunks));
  await writeFile(join(dir, `${name}.json`), JSON.stringify({ version: 1, weights: stored, ...(betaPowers ? { betaPowers } : {}) }));
}

/**
 * Restore state saved by saveOptimizerState into a fresh optimizer of a model
 * whose trainable variables have `variableShapes` (in trainableWeights order).
 */
export async function loadOptimizerState(optimizer: tf.Optimizer, dir: string, name: string, variableShapes: number[][]): Promise<void> {
  const variableCount = variableShapes.length;
  const jsonFile = join(dir, `${name}.json`);
  const { weights, betaPowers } = JSON.parse(await readFile(jsonFile, 'utf8')) as {
    weights: StoredWeight[];
    betaPowers?: { accBeta1: number; accBeta2: number };
  };
  const data = await readFile(join(dir, `${name}.bin`));
  if (weights.length !== 2 * variableCount + 1) {
    throw new OptimizerStateError(
      `${jsonFile}: expected ${2 * variableCount + 1} weights (iterations + 2 moments per variable), got ${weights.length}. ` +
        'The checkpoint belongs to a different model.',
    );
  }
  // Moments are stored as [iterations, m_1..m_n, v_1..v_n], each m_i / v_i shaped like variable i.
  const expectedShapes = [[], ...variableShapes, ...variableShapes];
  const mismatch = weights.findIndex((weight, i) => weight.shape.join('x') !== expectedShapes[i]!.join('x'));
  if (mismatch >= 0) {
    throw new OptimizerStateError(
      `${jsonFile}: expected ${weights[mismatch]!.name} of shape [${expectedShapes[mismatch]}], got [${weights[mismatch]!.shape}]. ` +
        'The checkpoint belongs to a different model.',
    );
  }
  const named = weights.map((weight) => {
    const size = weight.shape.reduce((product, dim) => product * dim, 1);
    const bytes = data.subarray(weight.offset, weight.offset + size * 4);
    if (bytes.byteLength !== size * 4) throw new OptimizerStateError(`${jsonFile}: the .bin file is truncated at ${weight.name}.`);
    const copy = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength);
    const values = weight.dtype === 'int32' ? new Int32Array(copy) : new Float32Array(copy);
    return { name: weight.name, tensor: tf.tensor(values, weight.shape, weight.dtype) };
  });
  await optimizer.setWeights(named);
  // setWeights copies the moments into new variables and only reads the iteration count.
  tf.dispose(named.map((weight) => weight.tensor));
  restoreBetaPowers(optimizer, jsonFile, betaPowers);
}

/**
 * Whether a saved β-power is one Adam can hold: a float32 product of β ∈ [0, 1), so in [0, 1).
 * 0 is a real value, not damage: in float32 the 0.5-power underflows to 0 at step 149 (0.5^150 =
 * 2^-150 rounds to 0), β = 0 gives 0 from the first step, and a GPU that flushes subnormals
 * reaches 0 sooner still (0.9 after step ~830). tf.js goes on with 1 − 0 = 1 as its bias correction,
 * so a resumed run must too. The exact saved value is put back rather than recomputed from the
 * step: only the backend's own running product (subnormals kept or flushed) matches the run
 * never interrupted bit for bit — on cpu, wasm and llvmpipe 0.9^t sticks at 4·2^-149, not 0.
 */
function isBetaPower(value: unknown): value is number {
  return typeof value === 'number' && value >= 0 && value < 1;
}

/** Put back the saved running β-products (checkpoints from before they were saved keep setWeights' pow). */
function restoreBetaPowers(optimizer: tf.Optimizer, jsonFile: string, saved: { accBeta1: number; accBeta2: number } | undefined): void {
  if (saved === undefined) return;
  const powers = betaPowersOf(optimizer);
  if (!powers) return;
  if (!isBetaPower(saved.accBeta1) || !isBetaPower(saved.accBeta2)) {
    throw new OptimizerStateError(
      `${jsonFile}: expected Adam's β-powers (accBeta1, accBeta2) at least 0 and below 1, got ${JSON.stringify(saved)}. This optimizer state is damaged.`,
    );
  }
  tf.tidy(() => {
    powers.accBeta1.assign(tf.scalar(saved.accBeta1));
    powers.accBeta2.assign(tf.scalar(saved.accBeta2));
  });
}
