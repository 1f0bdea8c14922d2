/**
 * The layers of src/main (docs/architecture.md, "Layers"): imports run one way, from the
 * folders above training down to the ones below it, and only the Electron shell imports Electron.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, normalize, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const MAIN = dirname(fileURLToPath(import.meta.url));

/**
 * Below training/, by rank: a folder imports only folders of its rank or lower (scores/ also uses
 * backend/ to pick its backend, as the trainer does) and two leaf files; none holds training,
 * studio, server or Electron code.
 */
const LOWER_RANK: Record<string, number> = { common: 0, data: 1, runs: 1, scores: 1, tensorboard: 1, backend: 2 };
const LEAF_FILES = ['paths.ts', 'studio-home.ts'];

function importsUpward(file: string, target: string): boolean {
  const from = topFolder(file);
  const to = topFolder(target);
  if (LEAF_FILES.includes(to) || (from === 'scores' && to === 'backend')) return false;
  return !(to in LOWER_RANK) || LOWER_RANK[to]! > LOWER_RANK[from]!;
}

const sourceFiles = (readdirSync(MAIN, { recursive: true }) as string[])
  .map((file) => file.split(sep).join('/'))
  .filter((file) => /\.(ts|svelte)$/.test(file));

/** Every relative specifier in a file (imports, vi.mock, import(), new URL) that names a file in src/main, relative to src/main. */
function mainImports(file: string): string[] {
  const text = readFileSync(join(MAIN, file), 'utf8');
  const targets: string[] = [];
  for (const match of text.matchAll(/(['"`])(\.{1,2}\/[^'"`\n$]*)\1/g)) {
    if (/^(\.\.?\/?)+$/.test(match[2]!)) continue; // a folder joined in code, not a module
    const base = normalize(join(MAIN, dirname(file), match[2]!));
    const found = [base, `${base}.ts`, base.replace(/\.js$/, '.ts'), join(base, 'index.ts')].find((candidate) => existsSync(candidate) && candidate.includes('.'));
    if (found === undefined) continue;
    const rel = relative(MAIN, found).split(sep).join('/');
    if (!rel.startsWith('..')) targets.push(rel);
  }
  return targets;
}

const importsElectron = (file: string): boolean => /(from\s+|import\s*\(\s*|require\s*\(\s*)['"]electron['"]/.test(readFileSync(join(MAIN, file), 'utf8'));

const topFolder = (file: string): string => file.split('/')[0]!;

describe('src/main layers', () => {
  it('finds the source files it checks', () => {
    expect(sourceFiles).toContain('common/rng.ts');
    expect(mainImports('scores/split.ts')).toContain('common/rng.ts');
  });

  it('lower folders (backend, then scores, tensorboard, data, runs, then common) import nothing from the folders above them', () => {
    const upward: string[] = [];
    for (const file of sourceFiles.filter((f) => topFolder(f) in LOWER_RANK)) {
      for (const target of mainImports(file)) if (importsUpward(file, target)) upward.push(`${file} -> ${target}`);
    }
    expect(upward).toEqual([]);
  });

  it('the rule catches an upward import', () => {
    expect(importsUpward('backend/select.ts', 'training/errors.ts')).toBe(true);
    expect(importsUpward('common/rng.ts', 'data/reader.ts')).toBe(true);
    expect(importsUpward('data/reader.ts', 'backend/select.ts')).toBe(true);
    expect(importsUpward('scores/fid.ts', 'backend/select.ts')).toBe(false);
    expect(importsUpward('backend/select.ts', 'runs/index.ts')).toBe(false);
  });

  it('only src/main/shell/ imports electron', () => {
    const electron = sourceFiles.filter((file) => topFolder(file) !== 'shell' && importsElectron(file));
    expect(electron).toEqual([]);
  });

  it('the shell imports electron, and nothing in src/main imports the shell', () => {
    expect(importsElectron('shell/index.ts')).toBe(true);
    const intoShell = sourceFiles.filter((file) => topFolder(file) !== 'shell' && mainImports(file).some((target) => topFolder(target) === 'shell'));
    expect(intoShell).toEqual([]);
  });
});
