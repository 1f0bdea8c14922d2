/**
 * Before a process loads Dawn itself, a throwaway child does the same first
 * steps (load dawn.node, enumerate adapters, open a device). A broken GPU
 * driver can crash the process that does this — a native fault, no JS error
 * to catch — and the trainer must then skip webgpu with that reason instead
 * of dying with every run that never asked for a GPU. The child also says
 * which adapter it got, so `auto` passes over a software one without loading
 * Dawn at all (whose warnings about a software adapter's limits would reach
 * the terminal: the child's stderr is dropped).
 */
import { spawn } from 'node:child_process';
import { tmpdir } from 'node:os';
import { pathToFileURL } from 'node:url';
import { adapterFacts, type AdapterFacts } from './adapter';

/** How long the driver may take to answer (a first Vulkan/Metal start can be slow). */
export const PROBE_TIMEOUT_MS = 30_000;

const SCRIPT = `
const { create } = await import(process.argv[1]);
const adapter = await create([]).requestAdapter({ powerPreference: 'high-performance' });
const info = adapter?.info ?? {};
const facts = adapter ? { vendor: info.vendor, architecture: info.architecture, device: info.device, description: info.description, isFallbackAdapter: info.isFallbackAdapter } : null;
if (adapter) (await adapter.requestDevice()).destroy();
process.stdout.write('ok ' + JSON.stringify(facts));
process.exit(0);
`;

/** How the child ended. */
export interface ProbeExit {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  timedOut: boolean;
}

/** What the child found: why webgpu must be skipped, or the high-performance adapter (null: none). */
export type ProbeResult = { failure: string } | { adapter: AdapterFacts | null };

/** The adapter the child reported, or why it did not get through. */
export function probeResult(exit: ProbeExit): ProbeResult {
  const failure = probeFailure(exit);
  if (failure !== undefined) return { failure };
  const facts = JSON.parse(exit.stdout.slice(3)) as Record<string, unknown> | null;
  return { adapter: facts === null ? null : adapterFacts(facts) };
}

/** Undefined when the child got through, else why webgpu must be skipped. */
export function probeFailure(exit: ProbeExit): string | undefined {
  if (exit.timedOut) return `the GPU driver did not answer within ${PROBE_TIMEOUT_MS / 1000} s while Dawn looked for adapters; update the GPU driver, or check it with npx gan-studio doctor`;
  if (exit.code === 0 && /^ok (null|\{.*\})$/.test(exit.stdout)) return undefined;
  const how = exit.signal ? `was killed by ${exit.signal}` : `exited with code ${exit.code}`;
  return `a test process that loaded Dawn and opened the GPU ${how} (a crash in the GPU driver or in dawn.node); update the GPU driver, or check it with npx gan-studio doctor`;
}

/** Runs the child against the `webgpu` module at `modulePath`; resolves with the skip reason, or the adapter it got. */
export function probeDawnInChild(modulePath: string): Promise<ProbeResult> {
  // Inside Electron, execPath is Electron itself: ELECTRON_RUN_AS_NODE makes it a plain Node.
  const child = spawn(process.execPath, ['--input-type=module', '-e', SCRIPT, pathToFileURL(modulePath).href], {
    env: { ...process.env, ELECTRON_RUN_AS_NODE: '1' },
    // A crash may leave a core file: never in the user's working folder.
    cwd: tmpdir(),
    stdio: ['ignore', 'pipe', 'ignore'],
  });
  let stdout = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  return new Promise((resolve) => {
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, PROBE_TIMEOUT_MS);
    child.on('error', (error) => {
      clearTimeout(timer);
      resolve({ failure: `the Dawn test process could not start: ${error.message}` });
    });
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      resolve(probeResult({ code, signal, stdout, timedOut }));
    });
  });
}
