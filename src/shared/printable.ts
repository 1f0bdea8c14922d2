/**
 * Text safe to print on a terminal or into a log. File names (and anything
 * else from outside) may hold control characters: a newline fakes a report
 * line, `ESC[2K` + `\r` erases what came before, bidirectional overrides
 * reorder what is shown. Every such character is written as a visible
 * escape instead (`\n`, `\r`, `\t`, `\x1b`, `\u{202e}`), so what is shown
 * is what the name holds.
 */

/** C0 and C1 controls, DEL, and the invisible format characters that reorder or hide text. */
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u061c\u200b-\u200f\u2028-\u202e\u2066-\u2069\ufeff]/gu;
// eslint-disable-next-line no-control-regex -- as above, minus \n
const UNSAFE_BUT_NEWLINE = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u061c\u200b-\u200f\u2028-\u202e\u2066-\u2069\ufeff]/gu;

const NAMED: Record<string, string> = { '\n': '\\n', '\r': '\\r', '\t': '\\t' };

function escapeOne(char: string): string {
  const named = NAMED[char];
  if (named) return named;
  const code = char.codePointAt(0)!;
  return code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u{${code.toString(16)}}`;
}

/** `text` with every control or format character escaped: always exactly one printed line. */
export function printable(text: string): string {
  return text.replace(UNSAFE, escapeOne);
}

/** Like printable, but keeps line breaks: for multi-line messages whose own lines are meant. */
export function printableLines(text: string): string {
  return text.replace(UNSAFE_BUT_NEWLINE, escapeOne);
}
