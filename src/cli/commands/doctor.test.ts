import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import type { DoctorReport } from '../../shared/doctor';
import { EXIT } from '../exit-codes';
import { doctorExitCode } from './doctor';

const CLI = path.resolve(__dirname, '../gan-studio.js');

describe('gan-studio doctor --json (this machine: no GPU; Mesa llvmpipe where installed)', () => {
  it('exits 3, reports wasm and cpu working, auto = wasm, and a software webgpu adapter does not count', async () => {
    const result = await promisify(execFile)(process.execPath, [CLI, 'doctor', '--json'], { encoding: 'utf8' }).then(
      () => { throw new Error('expected exit 3'); },
      (error: { code: number; stdout: string; stderr: string }) => error,
    );
    expect(result.code).toBe(EXIT.unavailable);
    // Dawn's warnings about llvmpipe's limits ("… artificially reduced …") stay out of the terminal.
    expect(result.stderr).not.toContain('artificially reduced');
    const report = JSON.parse(result.stdout) as DoctorReport;
    expect(report.version).toBe(2);
    expect(report.auto).toBe('wasm');
    expect(report.gpuWorks).toBe(false);
    const byName = Object.fromEntries(report.backends.map((verdict) => [verdict.name, verdict]));
    expect(Object.keys(byName)).toEqual(['tfjs-node-gpu', 'webgpu', 'tfjs-node', 'wasm', 'cpu']);
    expect(byName.wasm).toMatchObject({ works: true, device: 'cpu' });
    expect(byName.cpu).toMatchObject({ works: true, device: 'cpu' });
    expect(byName['tfjs-node-gpu']?.works).toBe(false);
    expect(byName['tfjs-node-gpu']?.fixes.length).toBeGreaterThan(0);
    // llvmpipe (CI) works forced but is software, and auto said why it passed it over; without a Vulkan driver there is no adapter.
    const webgpu = byName.webgpu!;
    if (webgpu.works) {
      expect(webgpu.device).toBe('software-gpu');
      expect(webgpu.autoSkips).toMatch(/^only a software adapter/);
      expect(report.webgpu.adapters[0]?.software).toBe(true);
      expect(report.summary).toMatch(/^No GPU backend works on a hardware GPU: webgpu works only on a software adapter/);
    } else {
      expect(webgpu.fixes.length).toBeGreaterThan(0);
    }
    expect(report.versions.node).toBe(process.versions.node);
    expect(report.versions.tfjs).toMatch(/^4\./);
    expect(report.versions.tfjsBackendWebgpu).toBe('4.22.0');
    expect(report.platform).toEqual({ os: process.platform, arch: process.arch, runtime: 'node' });
    expect(report.cuda === null).toBe(process.platform !== 'linux');
    // What trains here, and how fast: real steps of quick on auto's backend.
    expect(report.speed).toMatchObject({ preset: 'quick', batchSize: 64 });
    expect(report.speed!.imagesPerSecond).toBeGreaterThan(1);
  }, 180_000);
});

describe('doctorExitCode', () => {
  it('is 0 only when a GPU backend works on hardware', () => {
    expect(doctorExitCode({ gpuWorks: true })).toBe(EXIT.ok);
    expect(doctorExitCode({ gpuWorks: false })).toBe(EXIT.unavailable);
  });
});
