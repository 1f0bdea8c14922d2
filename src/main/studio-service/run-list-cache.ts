/**
 * The runs folder as a list, read again only where it changed: each run's
 * run.json is parsed once per version (src/main/runs' listRuns reads and
 * checks every one on every call). A sweep's 1,000 runs then list with one
 * stat each.
 */
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { errorCode, RUN_FILES, type RunListEntry } from '../runs';
import { readEntry } from '../runs/list-runs';
import { FileVersionCache } from './file-version-cache';

export class RunListCache {
  private readonly entries = new FileVersionCache<RunListEntry | undefined>();

  /** Runs under `runsRoot`, newest first (damaged ones among them), as listRuns gives them. */
  async list(runsRoot: string): Promise<RunListEntry[]> {
    let folders;
    try {
      folders = (await readdir(runsRoot, { withFileTypes: true })).filter((entry) => entry.isDirectory() && !entry.name.startsWith('.'));
    } catch (error) {
      if (errorCode(error) === 'ENOENT') return [];
      throw error;
    }
    const files = new Set(folders.map((folder) => join(runsRoot, folder.name, RUN_FILES.record)));
    this.entries.retain((file) => files.has(file));
    const runs = await Promise.all(
      folders.map((folder) => {
        const dir = join(runsRoot, folder.name);
        return this.entries.get(join(dir, RUN_FILES.record), () => readEntry(dir, folder.name), async () => undefined);
      }),
    );
    const createdAt = (run: RunListEntry) => (run.record ?? run.damaged).createdAt;
    return runs.filter((run): run is RunListEntry => run !== undefined).sort((a, b) => createdAt(b).localeCompare(createdAt(a)));
  }
}
