/**
 * Which local paths the desktop UI may ask the studio to read: the ones the
 * user chose (dropped onto the window and reported by the trusted preload,
 * or typed and then confirmed in a native dialog) and any fixed roots. Anything else a renderer names —
 * e.g. a compromised page asking to import ~/.ssh — is refused.
 */
import { realpath } from 'node:fs/promises';
import { isAbsolute, relative, resolve, sep } from 'node:path';
import { AccessDeniedError } from './errors';

export class PathGrants {
  private readonly granted = new Set<string>();

  constructor(private readonly fixedRoots: string[] = []) {}

  /** Record a path the user chose; only absolute paths count. */
  grant(path: string): void {
    if (isAbsolute(path)) this.granted.add(resolve(path));
  }

  /** True when `path` is a chosen path, inside one, or inside a fixed root (real paths for the roots). */
  async allows(path: string): Promise<boolean> {
    if (!isAbsolute(path)) return false;
    const target = resolve(path);
    if ([...this.granted].some((root) => isWithin(root, target))) return true;
    let real: string;
    try {
      real = await realpath(target);
    } catch {
      return false;
    }
    for (const root of this.fixedRoots) {
      try {
        if (isWithin(await realpath(root), real)) return true;
      } catch {
        // A fixed root that does not exist allows nothing.
      }
    }
    return false;
  }

  /** Throw AccessDeniedError unless `path` is allowed. */
  async check(path: string): Promise<void> {
    if (!(await this.allows(path))) {
      throw new AccessDeniedError(
        `The studio may only read files you chose: ${path} was not dropped onto the window or confirmed.`,
        'Drag the file or folder onto the window, or confirm the path when the studio asks.',
      );
    }
  }
}

function isWithin(root: string, target: string): boolean {
  const rel = relative(root, target);
  return rel === '' || (rel.split(sep)[0] !== '..' && !isAbsolute(rel));
}
