import { mkdir, mkdtemp, rm, symlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { PathGrants } from './path-grants';

let root: string;
beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'gan-grants-'));
  for (const dir of ['sample/fashion', 'sample2', 'chosen/a', 'chosen-not']) await mkdir(join(root, dir), { recursive: true });
  await symlink(join(root, 'sample2'), join(root, 'sample', 'link-out'));
});
afterAll(() => rm(root, { recursive: true, force: true }));

it('allows fixed roots and granted paths, nothing beside them', async () => {
  const grants = new PathGrants([join(root, 'sample')]);
  expect(await grants.allows(join(root, 'sample', 'fashion'))).toBe(true);
  expect(await grants.allows(join(root, 'sample2'))).toBe(false);
  // A symlink inside a fixed root that points out of it is judged by where it points.
  expect(await grants.allows(join(root, 'sample', 'link-out'))).toBe(false);
  expect(await grants.allows('sample/fashion')).toBe(false);

  grants.grant(join(root, 'chosen'));
  grants.grant('relative/ignored');
  expect(await grants.allows(join(root, 'chosen', 'a'))).toBe(true);
  expect(await grants.allows(join(root, 'chosen', 'a', '..', '..', 'chosen-not'))).toBe(false);
  expect(await grants.allows(join(root, 'chosen-not'))).toBe(false);
  expect(await grants.allows('relative/ignored')).toBe(false);
  await expect(grants.check(join(root, 'chosen-not'))).rejects.toMatchObject({ name: 'AccessDeniedError', hint: expect.stringMatching(/Drag/) });
});
