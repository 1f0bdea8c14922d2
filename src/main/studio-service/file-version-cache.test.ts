/** Cached answers follow their file: replaced, appended, deleted — each seen on the next call. */
import { appendFile, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { writeFileAtomic } from '../runs';
import { FileVersionCache } from './file-version-cache';

let root: string;
beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'gan-file-cache-'));
});
afterAll(async () => rm(root, { recursive: true, force: true }));

it('computes once per version of the file, and says missing once it is gone', async () => {
  const file = join(root, 'run.json');
  const cache = new FileVersionCache<string>();
  let computed = 0;
  const read = () =>
    cache.get(
      file,
      async () => {
        computed += 1;
        return `v${computed}`;
      },
      async () => 'missing',
    );
  expect(await read()).toBe('missing');
  await writeFile(file, '{"status":"queued"}');
  expect([await read(), await read(), computed]).toEqual(['v1', 'v1', 1]);
  // Replaced by rename with content of the same length (run.json's atomic write): a new inode.
  await writeFileAtomic(file, '{"status":"failed"}');
  expect([await read(), computed]).toEqual(['v2', 2]);
  await appendFile(file, '\n');
  expect([await read(), computed]).toEqual(['v3', 3]);
  await rm(file);
  expect(await read()).toBe('missing');
  cache.retain(() => false);
});
