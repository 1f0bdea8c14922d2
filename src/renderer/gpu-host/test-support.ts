/**
 * Test support: what the GPU host page's modules take from each module the
 * page build swaps (vite-plugin.ts). It walks the page's static and dynamic
 * imports from its entry with TypeScript's parser, as the build resolves them
 * — an import made by a src/main module of a swapped module (or a swapped Node
 * built-in) goes to the swap, and the walk continues there — and records
 * every name imported from each original. Type-only imports are left out.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import ts from 'typescript';

/** A swapped module or built-in, and the names the page imports from it ('*' for all of them). */
export type ImportedNames = Map<string, Set<string>>;

interface ImportSite {
  specifier: string;
  /** Names taken; '*' for a namespace import, `export *` or a dynamic import. */
  names: string[];
}

/** The value imports and re-exports of one source file. */
function importSites(file: string): ImportSite[] {
  const source = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.ES2022, true);
  const sites: ImportSite[] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isImportDeclaration(node) && ts.isStringLiteral(node.moduleSpecifier)) {
      const clause = node.importClause;
      const names: string[] = [];
      if (clause && !clause.isTypeOnly) {
        if (clause.name) names.push('default');
        const bindings = clause.namedBindings;
        if (bindings && ts.isNamespaceImport(bindings)) names.push('*');
        if (bindings && ts.isNamedImports(bindings)) {
          for (const element of bindings.elements) if (!element.isTypeOnly) names.push((element.propertyName ?? element.name).text);
        }
      }
      // A side-effect import (`import './x'`) takes no name but still loads the module.
      if (!clause || names.length > 0) sites.push({ specifier: node.moduleSpecifier.text, names });
    } else if (ts.isExportDeclaration(node) && node.moduleSpecifier && ts.isStringLiteral(node.moduleSpecifier) && !node.isTypeOnly) {
      const clause = node.exportClause;
      const names = !clause ? ['*'] : ts.isNamedExports(clause) ? clause.elements.filter((e) => !e.isTypeOnly).map((e) => (e.propertyName ?? e.name).text) : ['*'];
      if (names.length > 0) sites.push({ specifier: node.moduleSpecifier.text, names });
    } else if (ts.isCallExpression(node) && node.expression.kind === ts.SyntaxKind.ImportKeyword) {
      const [argument] = node.arguments;
      if (argument && ts.isStringLiteral(argument)) sites.push({ specifier: argument.text, names: ['*'] });
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return sites;
}

/** A relative import as the .ts file it names, or undefined for a package. */
function resolveRelative(specifier: string, importer: string): string | undefined {
  if (!specifier.startsWith('.')) return undefined;
  const base = resolve(dirname(importer), specifier.replace(/\.js$/, ''));
  return [base, `${base}.ts`, join(base, 'index.ts')].find((candidate) => existsSync(candidate) && candidate.endsWith('.ts'));
}

/**
 * Everything the page bundled from `entry` imports from the swapped modules: keyed by the
 * original's path (relative to `root`) or the built-in's name.
 */
export function namesTakenFromSwaps(
  root: string,
  entry: string,
  swaps: readonly (readonly [string, string])[],
  builtins: readonly (readonly [string, string])[],
): ImportedNames {
  const main = join(root, 'src', 'main') + '/';
  const swapOf = new Map(swaps.map(([original, swap]) => [join(root, original), join(root, swap)]));
  const builtinSwap = new Map(builtins.map(([builtin, swap]) => [builtin, join(root, swap)]));
  const taken: ImportedNames = new Map();
  const take = (key: string, names: string[]) => {
    const set = taken.get(key) ?? new Set<string>();
    for (const name of names) set.add(name);
    taken.set(key, set);
  };
  const seen = new Set<string>();
  const queue = [join(root, entry)];
  while (queue.length > 0) {
    const file = queue.pop()!;
    if (seen.has(file)) continue;
    seen.add(file);
    const fromMain = file.startsWith(main);
    for (const { specifier, names } of importSites(file)) {
      if (fromMain && builtinSwap.has(specifier)) {
        take(specifier, names);
        queue.push(builtinSwap.get(specifier)!);
        continue;
      }
      const target = resolveRelative(specifier, file);
      if (target === undefined) continue;
      if (fromMain && swapOf.has(target)) {
        take(relative(root, target), names);
        queue.push(swapOf.get(target)!);
      } else {
        queue.push(target);
      }
    }
  }
  return taken;
}
