/**
 * Whether the browser e2e suite can run here. A machine without Debian's
 * Chromium used to pass `npm test` with every e2e test silently skipped; now
 * it says so loudly, and under CI=true it fails: CI must run the suite.
 */
import { chromiumPath } from './browser';

export type E2eAvailability = { run: true } | { run: false; banner: string };

export function e2eAvailability(chromiumExists: boolean, env: NodeJS.ProcessEnv): E2eAvailability {
  if (chromiumExists) return { run: true };
  const reason = `Debian's Chromium is not installed at ${chromiumPath}`;
  if (env.CI === 'true') {
    throw new Error(`The browser e2e suite cannot run: ${reason}. CI must run it: apt-get install -y chromium fonts-dejavu-core (as .ci/run does).`);
  }
  const line = '!'.repeat(78);
  return {
    run: false,
    banner: [
      line,
      `!! E2E SKIPPED: every browser test in e2e/ (studio, compare, export) did not run.`,
      `!! Why: ${reason}. Fix: apt-get install -y chromium fonts-dejavu-core`,
      line,
    ].join('\n'),
  };
}
