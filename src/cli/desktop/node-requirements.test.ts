import { describe, expect, it } from 'vitest';
import { checkDesktopNode, compareVersions } from './node-requirements';

describe('Node requirements of the desktop app', () => {
  it('compares versions numerically, not as text', () => {
    expect(compareVersions('20.9.0', '20.19.0')).toBe(-1);
    expect(compareVersions('v22.12.0', '22.12.0')).toBe(0);
    expect(compareVersions('23.0.0', '22.12.1')).toBe(1);
  });

  it('refuses a Node older than the CLI needs, with the fix', () => {
    const check = checkDesktopNode('20.18.3');
    expect(check.ok).toBe(false);
    expect(check.message).toContain('Node.js ≥ 20.19.0');
    expect(check.message).toContain('this is 20.18.3');
  });

  it("notes, without refusing, a Node older than Electron's installer declares", () => {
    const check = checkDesktopNode('20.19.0');
    expect(check.ok).toBe(true);
    expect(check.message).toContain('declares Node ≥ 22.12.0');
    expect(checkDesktopNode('22.12.0')).toEqual({ ok: true });
  });
});
