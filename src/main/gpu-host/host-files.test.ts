/**
 * HostFiles on real folders: what the GPU host page may touch (its run and
 * dataset folders, named /run and /dataset) and what it may not, and the
 * bookkeeping a page that ends or dies leaves behind.
 */
import { mkdir, mkdtemp, readdir, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { RUN_LOCK_FILE } from '../runs/run-lock';
import { HostFiles } from './host-files';

let root: string;
let files: HostFiles;
let outside: string;

beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'host-files-'));
  await mkdir(join(root, 'run'));
  await mkdir(join(root, 'dataset'));
  outside = join(root, 'outside');
  await mkdir(outside);
  await writeFile(join(outside, 'secret.txt'), 'not yours');
  files = new HostFiles({ run: join(root, 'run'), dataset: join(root, 'dataset') });
});

afterEach(() => rm(root, { recursive: true, force: true }));

describe('HostFiles: the page reaches its two folders and nothing else', () => {
  it('maps /run and /dataset to the real folders', async () => {
    await files.call('writeFile', ['/run/a.txt', 'run text']);
    await files.call('writeFile', ['/run/b.bin', new Uint8Array([1, 2, 3])]);
    await writeFile(join(root, 'dataset', 'images.u8'), new Uint8Array([4, 5]));
    expect(await readFile(join(root, 'run', 'a.txt'), 'utf8')).toBe('run text');
    expect([...(await readFile(join(root, 'run', 'b.bin')))]).toEqual([1, 2, 3]);
    expect([...((await files.call('readFile', ['/dataset/images.u8'])) as Uint8Array)]).toEqual([4, 5]);
    expect(await files.call('readFile', ['/run/a.txt', 'utf8'])).toBe('run text');
    expect(await files.call('readdir', ['/run'])).toEqual(expect.arrayContaining([{ name: 'a.txt', file: true, directory: false }]));
  });

  it.each([
    ['another root', '/etc/passwd'],
    ['a relative path', 'run/a.txt'],
    ['..', '/run/../outside/secret.txt'],
    ['a . segment', '/run/./a.txt'],
    ['an empty segment', '/run//a.txt'],
    ['a NUL', '/run/a\0.txt'],
    ['a backslash', '/run/..\\outside'],
    ['not a string', 42],
  ])('refuses %s with EACCES before touching the disk', async (_what, path) => {
    await expect(files.call('readFile', [path])).rejects.toMatchObject({ code: expect.stringMatching(/^(EACCES|EINVAL)$/) });
    await expect(files.call('writeFile', [path, 'x'])).rejects.toMatchObject({ code: expect.stringMatching(/^(EACCES|EINVAL)$/) });
  });

  it('refuses a symlink in the run folder that leads out, to read through or to write under', async () => {
    await symlink(outside, join(root, 'run', 'escape'));
    await expect(files.call('readFile', ['/run/escape/secret.txt', 'utf8'])).rejects.toMatchObject({ code: 'EACCES' });
    await expect(files.call('writeFile', ['/run/escape/new.txt', 'x'])).rejects.toMatchObject({ code: 'EACCES' });
    expect(await readdir(outside)).toEqual(['secret.txt']);
  });

  it('lets a run folder that does not exist yet be made', async () => {
    const fresh = new HostFiles({ run: join(root, 'new-run'), dataset: join(root, 'dataset') });
    await fresh.call('mkdir', ['/run/checkpoints', { recursive: true }]);
    expect(await readdir(join(root, 'new-run'))).toEqual(['checkpoints']);
  });

  it("may change only the score classifier's cache in the dataset folder", async () => {
    await writeFile(join(root, 'dataset', 'images.u8'), new Uint8Array([7]));
    for (const [op, args] of [
      ['writeFile', ['/dataset/images.u8', 'x']],
      ['rm', ['/dataset', { recursive: true, force: true }]],
      ['rename', ['/dataset/images.u8', '/dataset/classifier-v1']],
      ['handle.open', ['/dataset/manifest.json', 'w']],
      ['mkdir', ['/dataset/elsewhere', { recursive: true }]],
    ] as const) {
      await expect(files.call(op, [...args]), op).rejects.toMatchObject({ code: 'EACCES', message: expect.stringContaining('read-only') });
    }
    expect([...(await readFile(join(root, 'dataset', 'images.u8')))]).toEqual([7]);
    await files.call('mkdir', ['/dataset/classifier-v1.tmp-12-1733', { recursive: true }]);
    await files.call('writeFile', ['/dataset/classifier-v1.tmp-12-1733/meta.json', '{}']);
    await files.call('rename', ['/dataset/classifier-v1.tmp-12-1733', '/dataset/classifier-v1']);
    expect(await files.call('readFile', ['/dataset/classifier-v1/meta.json', 'utf8'])).toBe('{}');
    await expect(files.call('readFile', ['/dataset/images.u8'])).resolves.toBeInstanceOf(Uint8Array);
  });

  it("reads a batch's records of the dataset's images by offset in one call, and refuses bad requests", async () => {
    await writeFile(join(root, 'dataset', 'images.u8'), Uint8Array.from({ length: 12 }, (_, i) => i));
    const handle = await files.call('handle.open', ['/dataset/images.u8', 'r']);
    expect([...((await files.call('handle.readRecords', [handle, [9, 0, 3], 3])) as Uint8Array)]).toEqual([9, 10, 11, 0, 1, 2, 3, 4, 5]);
    await expect(files.call('handle.readRecords', [handle, [10], 3])).rejects.toThrow(/expected 3 bytes at offset 10, the file ends after 12/);
    for (const [offsets, length] of [[[-1], 3], [['0'], 3], [[0], 0], '0', [[0, 1], 2 ** 30]] as const) {
      await expect(files.call('handle.readRecords', [handle, offsets, length])).rejects.toMatchObject({ code: 'EINVAL' });
    }
    await files.call('handle.close', [handle]);
  });

  it("keeps Node's error codes, which the trainer tests for", async () => {
    await expect(files.call('readFile', ['/run/missing.json', 'utf8'])).rejects.toMatchObject({ code: 'ENOENT' });
    await expect(files.call('rename', ['/run/missing.json', '/run/b'])).rejects.toMatchObject({ code: 'ENOENT' });
  });
});

describe('HostFiles: appends, posted failures, and a page that goes away', () => {
  it('appends posted lines in order and cuts a torn tail when the appender opens', async () => {
    await writeFile(join(root, 'run', 'metrics.jsonl'), '{"step":1}\n{"step":2');
    files.post('appender.open', [1, '/run/metrics.jsonl']);
    for (let step = 2; step <= 5; step += 1) files.post('appender.write', [1, { step }]);
    files.post('appender.close', [1]);
    await files.call('stat', ['/run']); // requests run in order: the appends are done
    expect(await readFile(join(root, 'run', 'metrics.jsonl'), 'utf8')).toBe([1, 2, 3, 4, 5].map((step) => `{"step":${step}}\n`).join(''));
  });

  it("a posted request that fails makes the page's next call fail with its error", async () => {
    files.post('appender.open', [1, '/elsewhere/metrics.jsonl']);
    await expect(files.call('stat', ['/run'])).rejects.toMatchObject({ code: 'EACCES' });
    await expect(files.call('stat', ['/run'])).resolves.toMatchObject({ directory: true }); // reported once
  });

  it('takes the run lock in the host\'s name, and dispose lets it go and closes what the page left open', async () => {
    await files.call('lock.acquire', ['/run']);
    expect(JSON.parse(await readFile(join(root, 'run', RUN_LOCK_FILE), 'utf8'))).toMatchObject({ pid: process.pid });
    await expect(new HostFiles({ run: join(root, 'run'), dataset: join(root, 'dataset') }).call('lock.acquire', ['/run'])).rejects.toThrow(/already being trained/);
    const handle = await files.call('handle.open', ['/run/left-open.txt', 'w']);
    await files.dispose();
    expect(await readdir(join(root, 'run'))).not.toContain(RUN_LOCK_FILE);
    await expect(files.call('handle.close', [handle])).rejects.toMatchObject({ code: 'EBADF' });
  });

  it('locks only the run folder', async () => {
    await expect(files.call('lock.acquire', ['/dataset'])).rejects.toMatchObject({ code: 'EACCES' });
  });
});
