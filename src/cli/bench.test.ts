import { afterEach, describe, expect, it, vi } from 'vitest';
import { run } from './bench';
import { CliError } from './cli-error';

describe('bench', () => {
  afterEach(() => vi.restoreAllMocks());

  it('prints one JSON object per measured row and skips what pure JS cannot finish', async () => {
    const out = vi.spyOn(console, 'log').mockImplementation(() => undefined);
    const err = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    const code = await run(['--json', '--backend', 'cpu', '--preset', 'tiny', '--batch-size', '4', '--steps', '1']);
    expect(code).toBe(0);
    const lines = out.mock.calls.map((call) => JSON.parse(String(call[0])) as Record<string, unknown>);
    expect(lines).toHaveLength(1);
    expect(Object.keys(lines[0]!).sort()).toEqual(['backend', 'batchSize', 'device', 'imagesPerSecond', 'preset', 'simd', 'threads']);
    expect(lines[0]).toMatchObject({ backend: 'cpu', device: expect.stringMatching(/pure JavaScript/), threads: 1, simd: null, preset: 'tiny', batchSize: 4 });
    expect(lines[0]!.imagesPerSecond).toBeGreaterThan(0);

    out.mockClear();
    expect(await run(['--json', '--backend', 'cpu', '--preset', 'seed-model-one', '--batch-size', '16'])).toBe(3);
    expect(out).not.toHaveBeenCalled();
    expect(err.mock.calls.flat().join('\n')).toMatch(/skipped seed-model-one batch 16 — .*add --all/);
  });

  it('appends the doctor report with --doctor (one more JSON line), as one command measures a GPU box', async () => {
    const out = vi.spyOn(console, 'log').mockImplementation(() => undefined);
    vi.spyOn(console, 'error').mockImplementation(() => undefined);
    expect(await run(['--json', '--backend', 'cpu', '--preset', 'tiny', '--batch-size', '4', '--steps', '1', '--doctor'])).toBe(0);
    const lines = out.mock.calls.map((call) => JSON.parse(String(call[0])) as Record<string, unknown>);
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatchObject({ backend: 'cpu', preset: 'tiny' });
    expect(lines[1]!.doctor).toMatchObject({ auto: expect.any(String), backends: expect.arrayContaining([expect.objectContaining({ name: 'cpu', works: true })]) });
  });

  it('says on wasm how many threads ran and which SIMD kind the studio kernels used', async () => {
    const out = vi.spyOn(console, 'log').mockImplementation(() => undefined);
    vi.spyOn(console, 'error').mockImplementation(() => undefined);
    expect(await run(['--json', '--backend', 'wasm', '--preset', 'tiny', '--batch-size', '4', '--steps', '1'])).toBe(0);
    const row = JSON.parse(String(out.mock.calls[0]![0])) as Record<string, unknown>;
    // The test suite runs wasm on one thread (vitest.config.ts); Node 20 gets relaxed SIMD by V8's flag.
    expect(row).toMatchObject({ backend: 'wasm', threads: 1, simd: expect.stringMatching(/^(relaxed-simd|simd128)$/) });
    expect(String(row['device'])).toContain(`studio kernels (${String(row['simd'])})`);
  });

  it('prints a table with a note for a backend that does not load', async () => {
    const out = vi.spyOn(console, 'log').mockImplementation(() => undefined);
    expect(await run(['--backend', 'tfjs-node', '--preset', 'tiny'])).toBe(3);
    const text = out.mock.calls.flat().join('\n');
    expect(text).toMatch(/^backend +preset +batch +images\/s/);
    expect(text).toContain('tfjs-node: not available — not installed');
  });

  it('rejects bad arguments with the expected values', async () => {
    await expect(run(['--backend', 'cuda'])).rejects.toThrow(CliError);
    await expect(run(['--preset', 'nope'])).rejects.toThrow(/expected --preset to be one of/);
    await expect(run(['--steps', '0'])).rejects.toThrow(/positive integer, got "0"/);
  });
});
