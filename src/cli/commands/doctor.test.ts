import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { EXIT } from '../exit-codes';

const CLI = path.resolve(__dirname, '../gan-studio.js');

describe('gan-studio doctor --json (this machine: no GPU)', () => {
  it('exits 3, reports wasm and cpu working, and auto = wasm', async () => {
    const result = await promisify(execFile)(process.execPath, [CLI, 'doctor', '--json'], { encoding: 'utf8' }).then(
      () => { throw new Error('expected exit 3'); },
      (error: { code: number; stdout: string }) => error,
    );
    expect(result.code).toBe(EXIT.unavailable);
    const report = JSON.parse(result.stdout) as {
      auto: string;
      gpuWorks: boolean;
      backends: { name: string; works: boolean; fixes: string[] }[];
      versions: { node: string; tfjs: string };
    };
    expect(report.auto).toBe('wasm');
    expect(report.gpuWorks).toBe(false);
    const byName = Object.fromEntries(report.backends.map((verdict) => [verdict.name, verdict]));
    expect(Object.keys(byName)).toEqual(['tfjs-node-gpu', 'tfjs-node', 'wasm', 'cpu']);
    expect(byName.wasm?.works).toBe(true);
    expect(byName.cpu?.works).toBe(true);
    expect(byName['tfjs-node-gpu']?.works).toBe(false);
    expect(byName['tfjs-node-gpu']?.fixes.length).toBeGreaterThan(0);
    expect(report.versions.node).toBe(process.versions.node);
    expect(report.versions.tfjs).toMatch(/^4\./);
  }, 60_000);
});
