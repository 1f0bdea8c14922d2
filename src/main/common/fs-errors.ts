/**
 * File-system errors in words a user acts on. Node's messages ("EACCES:
 * permission denied, open '/…'") are precise but cryptic; every place that
 * reads or writes run files names the file itself and uses these for the cause.
 */

/** The errno code of a thrown value, if it has one. */
export function errorCode(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : undefined;
}

/** The disk (or the user's quota on it) is full: no write can succeed until space is freed. */
export function isDiskFull(error: unknown): boolean {
  const code = errorCode(error);
  return code === 'ENOSPC' || code === 'EDQUOT';
}

/** Permission was refused (by this error or the one it wraps): the file may be fine, this user just may not read it. */
export function isPermissionDenied(error: unknown): boolean {
  const code = errorCode(error) ?? errorCode((error as { cause?: unknown } | null)?.cause);
  return code === 'EACCES' || code === 'EPERM';
}

const CAUSES: Record<string, string> = {
  EACCES: 'permission denied',
  EPERM: 'permission denied',
  ENOENT: 'it does not exist',
  ENOTDIR: 'a folder on its path is a file',
  EISDIR: 'it is a folder, not a file',
  ELOOP: 'it is a symbolic link loop',
  ENOSPC: 'the disk is full',
  EDQUOT: 'the disk quota is exceeded',
  EROFS: 'the disk is read-only',
  EIO: 'the disk reported an input/output error',
  EMFILE: 'too many files are open',
  ENFILE: 'too many files are open',
};

/** The cause of a file-system error in a few words ("permission denied"), else its message. */
export function describeFsError(error: unknown): string {
  const code = errorCode(error);
  if (code && CAUSES[code]) return CAUSES[code];
  return error instanceof Error ? error.message : String(error);
}

/** "cannot read <file>: permission denied" — the file and the cause, for any read that failed. */
export function cannotRead(file: string, error: unknown): string {
  return `cannot read ${file}: ${describeFsError(error)}`;
}
