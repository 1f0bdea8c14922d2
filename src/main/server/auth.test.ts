import { mkdtemp, readFile, rm, stat, chmod, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { persistentToken, tokenFileFor } from './auth';

describe('persistentToken', () => {
  let home: string;
  beforeEach(async () => {
    home = await mkdtemp(join(tmpdir(), 'gan-studio-token-'));
  });
  afterEach(() => rm(home, { recursive: true, force: true }));

  it('keeps one token per runs folder across restarts, in a file only this user can read', async () => {
    const file = tokenFileFor(home, '/data/runs');
    const first = await persistentToken(file);
    // A brand-new home: no earlier token, so no earlier URL stops working.
    expect(first).toMatchObject({ reused: false, replaced: false });
    expect(first.token).toMatch(/^[0-9a-f]{48}$/);
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    expect((await stat(join(home, 'serve-tokens'))).mode & 0o777).toBe(0o700);
    expect((await readFile(file, 'utf8')).trim()).toBe(first.token);

    expect(await persistentToken(file)).toEqual({ token: first.token, reused: true, replaced: false });
    expect(tokenFileFor(home, '/data/runs/')).toBe(file);
    expect(tokenFileFor(home, '/data/other-runs')).not.toBe(file);
  });

  it('rotates on request, and replaces a token others could read or a malformed one', async () => {
    const file = tokenFileFor(home, '/data/runs');
    const { token } = await persistentToken(file);
    const rotated = await persistentToken(file, { rotate: true });
    expect(rotated).toMatchObject({ reused: false, replaced: true });
    expect(rotated.token).not.toBe(token);

    await chmod(file, 0o644);
    const afterLeak = await persistentToken(file);
    expect(afterLeak).toMatchObject({ reused: false, replaced: true });
    expect(afterLeak.token).not.toBe(rotated.token);
    expect((await stat(file)).mode & 0o777).toBe(0o600);

    await writeFile(file, 'not-a-token\n', { mode: 0o600 });
    expect(await persistentToken(file)).toMatchObject({ reused: false, replaced: true });
    // --new-token on a first serve replaces nothing either.
    expect(await persistentToken(tokenFileFor(home, '/data/fresh'), { rotate: true })).toMatchObject({ reused: false, replaced: false });
  });
});
