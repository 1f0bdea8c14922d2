import { describe, expect, it } from 'vitest';
import { BACKEND_NAMES } from '../../shared/backends';
import { probeBackendInChild, probeBackendWith, type ProbeProcess } from './probe';

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
