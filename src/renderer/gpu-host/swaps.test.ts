/**
 * The GPU window's build swaps a few src/main modules and Node built-ins for
 * page versions (vite-plugin.ts), invisibly: a name the page's modules import
 * from an original but its swap lacks would be `undefined` only in the
 * window. For each swap, every value the page's modules take from the
 * original (found by walking the page's imports from its entry, as the build
 * resolves them) must be exported by the swap, as the same kind of thing
 * (a function stays a function, a class a class). The list is also in
 * docs/architecture.md.
 */
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { namesTakenFromSwaps } from './test-support';
import { GPU_HOST_BUILTINS, GPU_HOST_PATH_MODULE, GPU_HOST_SWAPS } from './vite-plugin';

const ROOT = resolve(import.meta.dirname, '../../..');
const ENTRY = 'src/renderer/gpu-host/main.ts';
const taken = namesTakenFromSwaps(ROOT, ENTRY, GPU_HOST_SWAPS, GPU_HOST_BUILTINS);

/** "function", "class", "object"…: what a name is, so a swap cannot give a value where a class was. */
function kindOf(value: unknown): string {
  if (typeof value === 'function') return /^class[\s{]/.test(Function.prototype.toString.call(value)) ? 'class' : 'function';
  return typeof value;
}

/** The names a module's value exports hold, with their kinds; `names` '*' means every export of `original`. */
async function expectSwapCovers(original: Record<string, unknown>, swap: Record<string, unknown>, names: Set<string>, label: string): Promise<string[]> {
  const wanted = names.has('*') ? Object.keys(original) : [...names].filter((name) => name in original); // the rest are types
  for (const name of wanted) {
    expect(name in swap, `${label} does not export ${name}`).toBe(true);
    expect(kindOf(swap[name]), `${label}: ${name}`).toBe(kindOf(original[name]));
  }
  return wanted;
}

describe("the GPU window's module swaps", () => {
  it('finds the page’s imports of every swapped module (the walk sees the trainer behind the page)', () => {
    for (const [original] of GPU_HOST_SWAPS) expect(taken.has(original), `${original} is never imported by the page: drop its swap`).toBe(true);
    for (const [builtin] of GPU_HOST_BUILTINS) expect(taken.has(builtin), `${builtin} is never imported by the page's src/main modules`).toBe(true);
  });

  for (const [original, swap] of GPU_HOST_SWAPS) {
    it(`${swap.split('/').pop()} exports what the page takes from ${original}`, async () => {
      const wanted = await expectSwapCovers(await import(join(ROOT, original)), await import(join(ROOT, swap)), taken.get(original) ?? new Set(), swap);
      expect(wanted.length, `no value of ${original} is used by the page`).toBeGreaterThan(0);
    });
  }

  for (const [builtin, swap] of GPU_HOST_BUILTINS) {
    it(`${swap.split('/').pop()} has every function of ${builtin} the page's modules call`, async () => {
      const wanted = await expectSwapCovers(await import(builtin), await import(join(ROOT, swap)), taken.get(builtin) ?? new Set(), swap);
      expect(wanted.length).toBeGreaterThan(0);
    });
  }

  it(`node:path maps to ${GPU_HOST_PATH_MODULE}, which has every function of it the page's modules call`, async () => {
    const page = namesTakenFromSwaps(ROOT, ENTRY, GPU_HOST_SWAPS, [...GPU_HOST_BUILTINS, ['node:path', 'src/renderer/gpu-host/vite-plugin.ts']]);
    const wanted = await expectSwapCovers(await import('node:path'), await import(GPU_HOST_PATH_MODULE), page.get('node:path') ?? new Set(), GPU_HOST_PATH_MODULE);
    expect(wanted).toContain('join');
  });

  it('is listed in docs/architecture.md, swap for swap', () => {
    const doc = readFileSync(join(ROOT, 'docs', 'architecture.md'), 'utf8');
    for (const [original, swap] of [...GPU_HOST_SWAPS, ...GPU_HOST_BUILTINS]) {
      const short = (path: string) => path.replace(/^src\/(main|renderer\/gpu-host)\//, '');
      expect(doc, `${original} → ${swap}`).toContain(`| \`${short(original)}\` | \`${short(swap)}\` |`);
    }
  });
});
