import { describe, expect, it } from 'vitest';
import { nextCommands, shellWord } from './next-commands';

describe('the commands after train', () => {
  it('names score, export, generate and serve for the run, with serve on its runs folder', () => {
    const text = nextCommands('/home/a/.gan-studio/runs/2026-12-07T16-05-21-tiny-d9b9', '/home/a/.gan-studio/runs');
    expect(text.split('\n')).toEqual([
      'Next:',
      expect.stringMatching(/^ {2}gan-studio score \/home\/a\/\.gan-studio\/runs\/2026-12-07T16-05-21-tiny-d9b9 +quality scores/),
      expect.stringMatching(/^ {2}gan-studio export \S+ --format gif --out progress\.gif +the samples improving/),
      expect.stringMatching(/^ {2}gan-studio generate \S+ --grid --out samples\.png +fresh samples/),
      expect.stringMatching(/^ {2}gan-studio serve +watch it and Compare it/),
    ]);
    expect(nextCommands('/tmp/my runs/r1', '/home/a/.gan-studio/runs')).toContain("gan-studio serve --runs '/tmp/my runs'");
  });

  it('quotes a path a shell would split', () => {
    expect(shellWord('/runs/plain-1.2')).toBe('/runs/plain-1.2');
    expect(shellWord("/runs/it's here")).toBe("'/runs/it'\\''s here'");
  });
});
