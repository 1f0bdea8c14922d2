/**
 * tfjs-node 4.22 imports `isArray` and `isNullOrUndefined` from Node's `util`
 * (nodejs_kernel_backend); Node 23 removed them, so every tfjs-node op throws
 * "util_1.isNullOrUndefined is not a function" (tensorflow/tfjs#8609 — fixed
 * upstream in #8425 but never released). Put them back before requiring it.
 */
import { createRequire } from 'node:module';

const REMOVED_UTIL_FUNCTIONS: Record<string, (value: unknown) => boolean> = {
  isArray: (value) => Array.isArray(value),
  isNullOrUndefined: (value) => value === null || value === undefined,
  isNull: (value) => value === null,
  isUndefined: (value) => value === undefined,
  isString: (value) => typeof value === 'string',
  isNumber: (value) => typeof value === 'number',
  isBoolean: (value) => typeof value === 'boolean',
  isFunction: (value) => typeof value === 'function',
  isObject: (value) => value !== null && typeof value === 'object',
  isPrimitive: (value) => value === null || (typeof value !== 'object' && typeof value !== 'function'),
};

/**
 * Adds the removed `util.is*` functions tfjs-node calls (only those missing).
 * Returns the names it added. The CommonJS `util` object is the one tfjs-node
 * sees, so that is the one patched.
 */
export function polyfillNodeUtil(): string[] {
  const util = createRequire(import.meta.url)('node:util') as Record<string, unknown>;
  const added: string[] = [];
  for (const [name, fn] of Object.entries(REMOVED_UTIL_FUNCTIONS)) {
    if (typeof util[name] !== 'function') {
      util[name] = fn;
      added.push(name);
    }
  }
  return added;
}
