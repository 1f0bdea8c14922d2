import { describe, expect, it } from 'vitest';
import { BACKEND_NAMES } from '../../shared/backends';
import { diagnoseBackendsInChild, diagnoseBackendsWith, probeBackendInChild, probeBackendWith, type ProbeProcess } from './probe';

/** A probe process the test scripts: it says `message` (if any), then exits with `code` (if any). */
function scripted(message?: unknown, code?: number | null): { start: () => ProbeProcess; killed: () => boolean } {
  let killed = false;
  return {
    killed: () => killed,
    start: () => ({
      onMessage: (listener) => message !== undefined && queueMicrotask(() => listener(message)),
      onExit: (listener) => code !== undefined && setTimeout(() => listener(code), 5),
      kill: () => void (killed = true),
    }),
  };
}

describe('backend probe', () => {
  it('reports the backend a trainer would get, from a real child process', async () => {
    const report = await probeBackendInChild();
    expect(BACKEND_NAMES).toContain(report.name);
    expect(report.device).toBeTruthy();
    // Faster backends that did not load are listed with a reason.
    for (const skipped of report.skipped) expect(skipped.reason).toBeTruthy();
  });

  it('rejects with the reason, on a silent exit, and on a timeout (killing the probe)', async () => {
    await expect(probeBackendWith(scripted({ ok: false, message: 'cpu failed' }, 0).start)).rejects.toThrow(/No compute backend could load: cpu failed/);
    await expect(probeBackendWith(scripted(undefined, 1).start)).rejects.toThrow(/exited \(code 1\) without a report/);
    const hung = scripted();
    await expect(probeBackendWith(hung.start, 50)).rejects.toThrow(/did not answer/);
    expect(hung.killed()).toBe(true);
  });
});

describe('backend doctor in a probe process', () => {
  it('reports every backend, auto and the WebGPU probe, from a real child process', async () => {
    const report = await diagnoseBackendsInChild();
    expect(report.version).toBe(2);
    expect(report.backends.map((verdict) => verdict.name)).toEqual([...BACKEND_NAMES]);
    expect(BACKEND_NAMES).toContain(report.auto);
    expect(report.backends.find((verdict) => verdict.name === report.auto)?.works).toBe(true);
    expect(report.summary).toMatch(new RegExp(`auto (trains on|picks) ${report.auto}\\b`));
    expect(report.gpuWorks).toBe(report.backends.some((verdict) => verdict.device === 'gpu'));
    // The webgpu verdict's device follows the adapter tfjs gets: llvmpipe here is software.
    const webgpu = report.backends.find((verdict) => verdict.name === 'webgpu')!;
    if (webgpu.works) expect(webgpu.device).toBe(report.webgpu.adapters[0]?.software ? 'software-gpu' : 'gpu');
  }, 60_000);

  it('names the doctor when it fails, exits silently or hangs', async () => {
    await expect(diagnoseBackendsWith(scripted({ ok: false, message: 'tf broke' }, 0).start)).rejects.toThrow(/^The backend doctor failed: tf broke$/);
    await expect(diagnoseBackendsWith(scripted(undefined, 1).start)).rejects.toThrow(/^The backend doctor exited \(code 1\) without a report\.$/);
    await expect(diagnoseBackendsWith(scripted(undefined, null).start)).rejects.toMatchObject({ hint: expect.stringMatching(/^Run "npx gan-studio doctor" in a terminal/) });
    const hung = scripted();
    await expect(diagnoseBackendsWith(hung.start, 50)).rejects.toThrow(/^The backend doctor did not answer within 0.05 s\.$/);
    expect(hung.killed()).toBe(true);
  });
});
