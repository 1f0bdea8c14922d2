/** The GPU host page's sha256OfFile (main: training/file-sha256.ts): the main process reads and hashes the file. */
import { call } from '../host-call';

export function sha256OfFile(path: string): Promise<string> {
  return call<string>('sha256', path);
}
