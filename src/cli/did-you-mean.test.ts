import { describe, expect, it } from 'vitest';
import { closest, editDistance, suggestionHint } from './did-you-mean';

const COMMANDS = ['train', 'inspect-data', 'summary', 'serve', 'export', 'score', 'generate', 'doctor', 'evidence'];

describe('did you mean', () => {
  it('counts a swap of neighbours as one edit', () => {
    expect(editDistance('trian', 'train')).toBe(1);
    expect(editDistance('serve', 'score')).toBe(3);
    expect(editDistance('', 'abc')).toBe(3);
  });

  it('suggests the command or flag a typo meant', () => {
    expect(closest('trian', COMMANDS)).toBe('train');
    expect(closest('exprot', COMMANDS)).toBe('export');
    expect(closest('--epoch', ['--epochs', '--seed', '--preset'])).toBe('--epochs');
    expect(closest('--lr', ['--g-lr', '--d-lr'])).toBeUndefined(); // two equally close: no guess
    expect(closest('--bs', ['--batch-size'])).toBeUndefined();
    expect(closest('gen', COMMANDS)).toBe('generate'); // the only one it begins
    expect(suggestionHint('hing', ['bce', 'hinge', 'least-squares'])).toBe('Did you mean "hinge"?');
  });

  it('stays quiet when nothing is close', () => {
    expect(closest('fly', COMMANDS)).toBeUndefined();
    expect(closest('train', COMMANDS)).toBeUndefined(); // already a command
    expect(suggestionHint('wasserstein', ['bce', 'hinge', 'least-squares'])).toBeUndefined();
  });
});
