/**
 * `gan-studio serve`: the studio UI in a browser, trained on this machine.
 * Prints a ready URL with a random token (like Jupyter) and runs until
 * Ctrl-C, which stops the trainers (they checkpoint) before exiting.
 */
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseCliArgs } from '../parse-args';
import { printable } from '../../shared/printable';
import { packageRoot } from '../../main/paths';
import { startServer } from '../../main/server';
import { isLoopback, persistentToken, tokenFileFor } from '../../main/server/auth';
import { defaultDatasetsRoot, defaultRunsRoot, studioHome } from '../../main/studio-home';
import { spawnTrainerProcess } from '../../main/training/trainer-process';
import { CliError } from '../cli-error';
import { EXIT } from '../exit-codes';

export const help = `Usage: gan-studio serve [--port N] [--host ADDR] [--runs DIR] [--max-concurrent-runs N] [--new-token]

Serve the studio UI and its API over HTTP + WebSocket, so a browser (this
machine's, or a laptop's through an SSH tunnel) can train and watch runs.
Prints a URL with a random token; every request without it is refused.
The token is kept (readable by you only) for the next serve of the same runs
folder, so a bookmarked URL keeps working.

Options:
  --port N            Port to listen on (default 8765; 0 picks a free one)
  --host ADDR         Address to bind (default 127.0.0.1, this machine only).
                      Binding another address exposes the studio to that network:
                      anyone with the URL can read files this user can read.
  --runs DIR          Runs folder (default: $GAN_STUDIO_RUNS or ~/.gan-studio/runs)
  --max-upload-mb N   Largest dataset upload accepted (default 2048); uploads
                      waiting for their import may hold twice that in all
  --max-concurrent-runs N
                      Runs that train at once; more wait as "queued" and start
                      in order (default: one per GPU, else one)
  --new-token         Make a new token (old URLs stop working), and keep it instead
  -h, --help          Show this help

Needs the built UI: run "npm run build" once first.
Remote use: ssh -L 8765:127.0.0.1:8765 gpu-box, then open the printed URL locally.
Exit codes: 0 stopped with Ctrl-C, 2 bad arguments or UI not built, 1 failed to start.`;

/** Runs the command; resolves with the exit code after Ctrl-C. */
export async function run(argv: string[]): Promise<number> {
  const options = parseOptions(argv);
  const rendererDir = join(packageRoot(), 'out', 'renderer');
  if (!existsSync(join(rendererDir, 'index.html'))) {
    throw new CliError(`The studio UI is not built: ${join(rendererDir, 'index.html')} is missing.`, EXIT.usage, 'Run "npm run build" once, then start serve again.');
  }
  const { token, reused, replaced } = await persistentToken(tokenFileFor(studioHome(), options.runsRoot), { rotate: options.newToken });
  let server;
  try {
    server = await startServer({
      token,
      port: options.port,
      host: options.host,
      runsRoot: options.runsRoot,
      datasetsRoot: defaultDatasetsRoot(),
      uploadsRoot: join(studioHome(), 'uploads'),
      rendererDir,
      launcher: () => spawnTrainerProcess(),
      maxUploadBytes: options.maxUploadMb * 2 ** 20,
      ...(options.maxConcurrentRuns ? { maxConcurrentRuns: options.maxConcurrentRuns } : {}),
    });
  } catch (error) {
    throw bindError(error, options);
  }
  console.log(`GAN Studio is serving runs from ${printable(options.runsRoot)}`);
  console.log(tokenNote(reused, replaced));
  if (!isLoopback(options.host)) console.log(`Warning: bound to ${options.host}; anyone who can reach it and has the URL can use the studio.`);
  console.log(`\n    ${server.url}\n\nOpen that URL in a browser. Press Ctrl-C to stop (running trainers checkpoint first).`);

  await new Promise<void>((resolveStop) => {
    const stop = (): void => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      resolveStop();
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
  console.log('\nStopping…');
  await server.close();
  return EXIT.ok;
}

/** What a failed listen means for the user; anything unexpected passes through unchanged. */
function bindError(error: unknown, options: ServeOptions): unknown {
  const code = (error as NodeJS.ErrnoException).code;
  const hostHint = 'Use --host 127.0.0.1 (this machine only) or an address of this machine (see "ip addr"); 0.0.0.0 binds them all.';
  switch (code) {
    case 'EADDRINUSE':
      return new CliError(`Port ${options.port} is already in use.`, EXIT.usage, 'Pick another with --port N (0 = any free port).');
    case 'EACCES':
      return new CliError(`Not allowed to listen on port ${options.port}.`, EXIT.usage, 'Ports below 1024 need administrator rights: pick --port 1024 or higher (0 = any free port).');
    case 'EADDRNOTAVAIL':
      return new CliError(`Cannot bind ${options.host}: no such address on this machine.`, EXIT.usage, hostHint);
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return new CliError(`Cannot bind --host ${options.host}: it is not an address or a host name that resolves.`, EXIT.usage, hostHint);
    default:
      return error;
  }
}

interface ServeOptions {
  port: number;
  host: string;
  runsRoot: string;
  maxUploadMb: number;
  maxConcurrentRuns?: number;
  newToken: boolean;
}

function parseOptions(argv: string[]): ServeOptions {
  let values: { port?: string; host?: string; runs?: string; 'max-upload-mb'?: string; 'max-concurrent-runs'?: string; 'new-token'?: boolean };
  try {
    ({ values } = parseCliArgs({
      args: argv,
      options: {
        port: { type: 'string' },
        host: { type: 'string' },
        runs: { type: 'string' },
        'max-upload-mb': { type: 'string' },
        'max-concurrent-runs': { type: 'string' },
        'new-token': { type: 'boolean' },
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (error) {
    throw new CliError(`${(error as Error).message}`, EXIT.usage, 'See gan-studio serve --help.');
  }
  const port = Number(values.port ?? 8765);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new CliError(`--port: expected a whole number 0–65535, got ${values.port}.`);
  const maxUploadMb = Number(values['max-upload-mb'] ?? 2048);
  if (!Number.isFinite(maxUploadMb) || maxUploadMb <= 0) throw new CliError(`--max-upload-mb: expected a positive number, got ${values['max-upload-mb']}.`);
  const host = values.host ?? '127.0.0.1';
  if (!/^[A-Za-z0-9.:-]+$/.test(host)) throw new CliError(`--host: expected an IP address or host name, got ${host}.`);
  const concurrent = values['max-concurrent-runs'];
  const maxConcurrentRuns = concurrent === undefined ? undefined : Number(concurrent);
  if (maxConcurrentRuns !== undefined && !(Number.isInteger(maxConcurrentRuns) && maxConcurrentRuns >= 1 && maxConcurrentRuns <= 64)) {
    throw new CliError(`--max-concurrent-runs: expected a whole number 1–64, got ${concurrent}.`);
  }
  return { port, host, runsRoot: values.runs ? resolve(values.runs) : defaultRunsRoot(), maxUploadMb, newToken: values['new-token'] ?? false, ...(maxConcurrentRuns ? { maxConcurrentRuns } : {}) };
}

/** What the token means for the URLs a person may have kept: the same, a first one, or one that replaced an earlier. */
export function tokenNote(reused: boolean, replaced: boolean): string {
  if (reused) return 'Same token as last time: bookmarked URLs still work (--new-token makes a new one).';
  if (replaced) return 'New token: URLs from earlier serves no longer work.';
  return 'This runs folder has its token now: the URL below keeps working for later serves (bookmark it).';
}
