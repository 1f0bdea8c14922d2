/**
 * JSON-lines files (metrics.jsonl, epochs.jsonl): appended one record per line
 * as training goes, read back tolerantly. A process killed mid-write can leave
 * a torn last line; readers ignore it and the next appender cuts it off, so
 * nothing that was complete is lost and no damaged line stays behind.
 */
import { readFile } from 'node:fs/promises';
import { writeFileAtomic } from './atomic';

/** A JSON-lines file that is not a torn write but genuinely corrupt. */
export class JsonlError extends Error {
  override name = 'JsonlError';
}

/** Parse JSON-lines text; a torn (unparsable) last line is dropped, any other bad line throws. */
export function parseJsonl<T>(text: string, file = 'jsonl'): T[] {
  const { records, damagedLine } = parseJsonlPrefix<T>(text);
  if (damagedLine !== undefined) {
    throw new JsonlError(`${file}: line ${damagedLine} is not valid JSON (expected one record per line). The file is damaged.`);
  }
  return records;
}

/**
 * The records before the first damaged line, and that line's number (1-based) when one is
 * found. A torn last line — a write cut off by a kill — is not damage: it is just dropped.
 */
export function parseJsonlPrefix<T>(text: string): { records: T[]; damagedLine?: number } {
  const lines = text.split('\n');
  const records: T[] = [];
  for (const [index, line] of lines.entries()) {
    if (line.trim() === '') continue;
    let record: unknown;
    try {
      record = JSON.parse(line);
    } catch {
      const isLast = lines.slice(index + 1).every((rest) => rest.trim() === '');
      return isLast ? { records } : { records, damagedLine: index + 1 };
    }
    // Every record is an object; a bare number or string on a line is damage too.
    if (typeof record !== 'object' || record === null || Array.isArray(record)) return { records, damagedLine: index + 1 };
    records.push(record as T);
  }
  return { records };
}

/** Read every complete record of a JSON-lines file; a missing file reads as empty. */
export async function readJsonl<T>(file: string): Promise<T[]> {
  return parseJsonl<T>(await readTextOrEmpty(file), file);
}

/**
 * Rewrite a JSON-lines file keeping the complete records `keep` accepts (atomic). A damaged
 * line ends the file: the records before it are kept, and its number is returned.
 */
export async function filterJsonl<T>(file: string, keep: (record: T) => boolean): Promise<{ kept: T[]; damagedLine?: number }> {
  const { records, damagedLine } = parseJsonlPrefix<T>(await readTextOrEmpty(file));
  const kept = records.filter(keep);
  await writeFileAtomic(file, kept.map((record) => JSON.stringify(record) + '\n').join(''));
  return damagedLine === undefined ? { kept } : { kept, damagedLine };
}

async function readTextOrEmpty(file: string): Promise<string> {
  try {
    return await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return '';
    throw error;
  }
}
