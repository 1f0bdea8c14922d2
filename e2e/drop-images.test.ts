/**
 * What the browser's drop zone and file picker promise, they take: several
 * images at once become one dataset (uploaded into one folder on the
 * server), and mixing in a non-image says why it is refused.
 */
import { mkdir, readFile, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StudioServer } from '../src/main/server';
import { hasChromium, openWatchedPage } from './browser';
import { makePngZip } from './fixtures';
import { startStudioServer, type StudioServerFixture } from './studio-server';

describe.skipIf(!hasChromium())('dropping and picking several images in Chromium against serve', () => {
  let studio: StudioServerFixture;
  let server: StudioServer;
  let browser: Browser;
  let page: Page;
  let errors: string[];
  const images: string[] = [];

  beforeAll(async () => {
    studio = await startStudioServer('gan-studio-drop-');
    ({ server } = studio);
    const dir = join(studio.work, 'loose');
    await mkdir(dir, { recursive: true });
    await makePngZip(dir, 12);
    for (const cls of ['left', 'right']) {
      for (const name of await readdir(join(dir, 'shapes', cls))) images.push(join(dir, 'shapes', cls, name));
    }
    // Something in the library already, so the first-launch import stays out of the way.
    await server.service.importDataset(await makePngZip(join(studio.work, 'seed'), 8), { channels: 1 });
    ({ browser, page, errors } = await openWatchedPage({ viewport: { width: 1280, height: 900 } }));
    await page.goto(server.url);
    await page.locator('[data-connection="open"]').waitFor();
  }, 300_000);

  afterAll(async () => {
    await browser?.close();
    await studio?.close();
  });

  /** Drag `files` (name → bytes) over the window, read the drop zone's words, drop. */
  async function drop(files: { name: string; base64: string }[]): Promise<string> {
    await page.evaluate((list) => {
      const transfer = new DataTransfer();
      for (const f of list) transfer.items.add(new File([Uint8Array.from(atob(f.base64), (c) => c.charCodeAt(0))], f.name, { type: 'image/png' }));
      window.dispatchEvent(new DragEvent('dragenter', { dataTransfer: transfer, bubbles: true, cancelable: true }));
      (window as unknown as { transfer: DataTransfer }).transfer = transfer;
    }, files);
    const words = (await page.locator('.dropzone').textContent()) ?? '';
    await page.evaluate(() => {
      const { transfer } = window as unknown as { transfer: DataTransfer };
      window.dispatchEvent(new DragEvent('drop', { dataTransfer: transfer, bubbles: true, cancelable: true }));
    });
    return words;
  }

  it('promises what a browser can take and imports several dropped images as one dataset', async () => {
    const files = await Promise.all(images.map(async (path) => ({ name: path.split('/').at(-1)!, base64: (await readFile(path)).toString('base64') })));
    const words = await drop(files);
    expect(words).toContain('several images at once');
    expect(words).not.toMatch(/folder/i);
    expect(await page.getByRole('heading', { name: 'Datasets' }).locator('xpath=..').textContent()).toContain('several images at once');
    await expect.poll(() => page.getByTestId('dataset-count').textContent(), { timeout: 60_000 }).toBe('12');
    // Named after the folder the batch lands in, not the upload's random digits.
    expect(await page.getByRole('main').textContent()).toContain('dropped images');
  });

  it('picks several images with the file chooser', async () => {
    await page.setInputFiles('input[type="file"]', images.slice(0, 6));
    await expect.poll(() => page.getByTestId('dataset-count').textContent(), { timeout: 60_000 }).toBe('6');
  });

  it('refuses images mixed with something else, saying which file is not an image', async () => {
    const png = (await readFile(images[0]!)).toString('base64');
    await drop([{ name: 'a.png', base64: png }, { name: 'notes.txt', base64: btoa('hello') }]);
    await page.getByText('Several files import together only when all are images; “notes.txt” is not.').waitFor();
    expect(errors).toEqual([]);
  });
});
