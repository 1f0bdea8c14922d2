import { describe, expect, it } from 'vitest';
import { printable, printableLines } from './printable';

describe('printable', () => {
  it('escapes newlines, carriage returns, ESC sequences, C1 controls and bidi overrides', () => {
    expect(printable('a\nInjected line: 9999 images OK')).toBe('a\\nInjected line: 9999 images OK');
    expect(printable('x\x1b[2K\rgone')).toBe('x\\x1b[2K\\rgone');
    expect(printable('tab\there\u0085\u009b')).toBe('tab\\there\\x85\\x9b');
    expect(printable('evil\u202egnp.exe')).toBe('evil\\u{202e}gnp.exe');
    expect(printable('\u0000\u007f')).toBe('\\x00\\x7f');
  });

  it('leaves ordinary text, Unicode names and emoji alone', () => {
    const text = 'Fashion-MNIST — 28×28 · été/猫 🐱 (ok)';
    expect(printable(text)).toBe(text);
  });

  it('printableLines keeps line breaks but nothing else', () => {
    expect(printableLines('one\ntwo\x1b[2K\r')).toBe('one\ntwo\\x1b[2K\\r');
  });
});
