/**
 * The `serve` server the browser specs run against: the renderer built, a
 * fresh work folder (runs/ and datasets/ inside it), real trainer child
 * processes, loopback on a free port. Plus the polling the specs' setup needs.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startServer, type ServerOptions, type StudioServer } from '../src/main/server';
import type { StudioService } from '../src/main/studio-service';
import { spawnTrainerProcess } from '../src/main/training/trainer-process';
import { ensureRendererBuilt, rendererOutDir } from './renderer-build';

/** A started server, the temporary folder it works in, and the teardown of both. */
export interface StudioServerFixture {
  work: string;
  server: StudioServer;
  /** Stop the server and start it again on the same port and folders (as `serve` restarted), with `token`. */
  restart(token?: string): Promise<StudioServer>;
  /** Stop the server, then delete the work folder. */
  close(): Promise<void>;
}

/** Build the renderer if stale and start `serve` in a new temporary folder named `<prefix>XXXXXX`. */
export async function startStudioServer(
  prefix: string,
  options: { token?: string; maxConcurrentRuns?: number; diagnoseBackends?: ServerOptions['diagnoseBackends']; launcher?: ServerOptions['launcher'] } = {},
): Promise<StudioServerFixture> {
  await ensureRendererBuilt();
  const work = await mkdtemp(join(tmpdir(), prefix));
  const removeWork = (): Promise<void> => rm(work, { recursive: true, force: true });
  const start = (port: number, token?: string): Promise<StudioServer> =>
    startServer({
      host: '127.0.0.1',
      port,
      runsRoot: join(work, 'runs'),
      datasetsRoot: join(work, 'datasets'),
      rendererDir: rendererOutDir,
      launcher: options.launcher ?? (() => spawnTrainerProcess()),
      ...(token ? { token } : {}),
      ...(options.maxConcurrentRuns ? { maxConcurrentRuns: options.maxConcurrentRuns } : {}),
      ...(options.diagnoseBackends ? { diagnoseBackends: options.diagnoseBackends } : {}),
    });
  let server: StudioServer;
  try {
    server = await start(0, options.token);
  } catch (error) {
    await removeWork();
    throw error;
  }
  const fixture: StudioServerFixture = {
    work,
    server,
    async restart(token) {
      await fixture.server.close();
      fixture.server = await start(fixture.server.port, token);
      return fixture.server;
    },
    async close() {
      await fixture.server.close();
      await removeWork();
    },
  };
  return fixture;
}

/** Poll `check` until it is true (expect.poll only works inside a test). */
export async function waitFor(check: () => Promise<boolean>, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms`);
    await new Promise((done) => setTimeout(done, 500));
  }
}

/** Wait until every run in `ids` has completed; a failed or crashed one throws at once with its message. */
export function waitForRunsCompleted(service: StudioService, ids: string[], timeoutMs: number): Promise<void> {
  return waitFor(async () => {
    const runs = (await service.listRuns()).filter((r) => ids.includes(r.id));
    const failed = runs.find((r) => r.status === 'failed' || r.status === 'crashed' || r.status === 'damaged');
    if (failed) throw new Error(`run ${failed.name} ${failed.status}: ${failed.status === 'damaged' ? failed.damage : failed.failure?.message}`);
    return runs.length === ids.length && runs.every((r) => r.status === 'completed');
  }, timeoutMs);
}
