/**
 * Which Node.js each front end needs. The CLI, `serve` and the tests run on
 * Node ≥ 20.19 (require(esm), used by tsx and Vitest 4). The desktop app
 * needs the same to build and launch, but Electron's own installer
 * (@electron/get 5) declares Node ≥ 22.12: it works on 20.19+ today (tested),
 * so an older-than-declared Node gets a note, not a refusal.
 */
export const CLI_MIN_NODE = '20.19.0';
export const ELECTRON_INSTALLER_NODE = '22.12.0';

export interface NodeCheck {
  ok: boolean;
  /** A line to print: the refusal, or a note when only the installer's declaration is unmet. */
  message?: string;
}

/** Compare dotted versions numerically ("20.9.0" < "20.19.0"). */
export function compareVersions(a: string, b: string): number {
  const parts = (v: string) => v.replace(/^v/, '').split('.').map((p) => Number.parseInt(p, 10) || 0);
  const [pa, pb] = [parts(a), parts(b)];
  for (let i = 0; i < 3; i += 1) {
    const diff = (pa[i] ?? 0) - (pb[i] ?? 0);
    if (diff !== 0) return Math.sign(diff);
  }
  return 0;
}

/** Whether this Node can build, fetch and launch the desktop app. */
export function checkDesktopNode(version: string = process.versions.node): NodeCheck {
  if (compareVersions(version, CLI_MIN_NODE) < 0) {
    return {
      ok: false,
      message:
        `GAN Studio needs Node.js ≥ ${CLI_MIN_NODE} (the desktop app: ≥ ${ELECTRON_INSTALLER_NODE} recommended); this is ${version}. ` +
        'Install a current Node.js LTS (https://nodejs.org), then run npm ci and npm start again.',
    };
  }
  if (compareVersions(version, ELECTRON_INSTALLER_NODE) < 0) {
    return {
      ok: true,
      message:
        `Note: Node.js ${version}. Electron's installer declares Node ≥ ${ELECTRON_INSTALLER_NODE}; it works on ${CLI_MIN_NODE}+, ` +
        `but if the Electron download fails, upgrading Node.js is the first thing to try.`,
    };
  }
  return { ok: true };
}
