/**
 * Shared Playwright setup for the e2e specs: Debian's Chromium, headless,
 * with the network-chatty features off, plus small page helpers.
 */
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';

/** Debian's Chromium; the specs skip with a reason when it is missing. */
export const chromiumPath = '/usr/bin/chromium';

export const chromiumArgs = [
  '--no-sandbox',
  '--headless',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

/** True when the browser the specs drive exists on this machine. */
export function hasChromium(): boolean {
  return existsSync(chromiumPath);
}

/** Launch headless Chromium. */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: chromiumPath, args: chromiumArgs, headless: true });
}

/** A launched browser with one page of `options` (viewport, scale) whose errors are collected. */
export async function openWatchedPage(options: Parameters<Browser['newPage']>[0]): Promise<{ browser: Browser; page: Page; errors: string[] }> {
  const browser = await launchChromium();
  const page = await browser.newPage(options);
  return { browser, page, errors: watchErrors(page) };
}

/** Collect page errors and console errors so a spec can assert the UI stayed clean. */
export function watchErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(`pageerror: ${error.message}`));
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(`console: ${message.text()}`);
  });
  return errors;
}

/** Resolves when the <img> matched by `selector` has decoded pixels. */
export async function waitForImage(page: Page, selector: string, timeout = 60_000): Promise<number> {
  const handle = await page.waitForFunction(
    (sel) => {
      const img = document.querySelector(sel) as HTMLImageElement | null;
      return img && img.complete && img.naturalWidth > 0 ? img.naturalWidth : 0;
    },
    selector,
    { timeout },
  );
  return (await handle.jsonValue()) as number;
}

/** The number of points the chart in `section` holds (the Chart component's data-points). */
export async function chartPoints(page: Page, section: string): Promise<number> {
  const value = await page.locator(`section[aria-label="${section}"] .chart`).getAttribute('data-points');
  return Number(value ?? 0);
}

/**
 * Where e2e screenshots go: the README's docs/screenshots when
 * UPDATE_SCREENSHOTS=1 (to refresh them), else test-output/ so a test run
 * leaves the source tree clean.
 */
export const screenshotsDir = resolve(
  import.meta.dirname,
  '..',
  ...(process.env.UPDATE_SCREENSHOTS === '1' ? ['docs', 'screenshots'] : ['test-output', 'screenshots']),
);
