/**
 * `npm run bench:slurm`: the studio at cluster scale. A real `gan-studio
 * serve` submits a sweep of `--runs` runs (default 1,000) to Slurm as one job
 * array that stays pending (--begin an hour ahead, as if held), then measures:
 * the submission, one squeue call for every job (what each poll costs),
 * serve's listRuns over a real socket (time, serve's CPU time, message size),
 * the Runs view in Chromium until its first page of rows shows, and serve's
 * memory. The machine's load is printed too: wall times on a shared machine
 * grow with it; CPU time does much less. On a machine
 * without Slurm (or with --fake) a fake sbatch/squeue answer as Slurm would
 * for that many pending tasks. The jobs are cancelled at the end.
 */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { chmod, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import type { RunListItem, SweepResult } from '../shared/api';
import { packageRoot } from '../main/paths';
import { formatBytes } from '../main/data/errors';
import { LoadClient } from '../main/server/load-client';
import { SlurmCommands } from '../main/slurm/slurm-cli';
import { writeSquaresDataset } from '../main/common/test-support';
import { readyUrl, spawnServe } from './bench-serve-process';

const help = `Usage: npm run bench:slurm -- [--runs N] [--fake] [--json]

Needs the renderer built for the Runs view row (npm run build).

  --runs N   Runs in the sweep (default 1000; past the cluster's MaxArraySize it is split)
  --fake     Answer with a fake sbatch/squeue even when Slurm is installed
  --json     One JSON object instead of the table`;

interface Row {
  name: string;
  value: string;
}

async function main(argv: string[]): Promise<void> {
  const { values } = parseArgs({ args: argv, options: { runs: { type: 'string' }, fake: { type: 'boolean' }, json: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } } });
  if (values.help) return void console.log(help);
  const runs = Number(values.runs ?? 1000);
  const home = await mkdtemp(join(tmpdir(), 'gan-bench-slurm-'));
  const fake = values.fake || !hasSlurm();
  const env = { ...process.env, GAN_STUDIO_HOME: home, GAN_STUDIO_RUNS: join(home, 'runs'), ...(fake ? { PATH: `${await writeFakeSlurm(home)}:${process.env.PATH}` } : {}) };
  await writeSquaresDataset(join(home, 'datasets', 'squares-test'), 64);
  const server = spawnServe(env);
  let arrays: string[] = [];
  try {
    const url = await readyUrl(server);
    const { port, searchParams } = new URL(url);
    const client = await LoadClient.connect(Number(port), searchParams.get('token')!);
    const rssBefore = await memory(server.pid!);

    // 10 epochs settings × runs/10 seeds: one combination per tenth of the sweep.
    const seeds = Math.ceil(runs / 10);
    let started = performance.now();
    const sweep = await client.call<SweepResult>('createSweep', {
      datasetId: 'squares-test',
      config: { preset: 'tiny', seed: 1, batchSize: 8, epochs: 1 },
      vary: [{ key: 'epochs', values: Array.from({ length: Math.min(10, runs) }, (_, i) => i + 1) }],
      seeds,
      executor: { kind: 'slurm', slurm: { time: '10', extraArgs: ['--begin=now+1hour'] } },
      throttle: 8,
    });
    const submitMs = performance.now() - started;
    const ids = new Set(sweep.value.runs.map((run) => run.id));
    arrays = [...new Set(sweep.value.runs.map((run) => run.job?.jobId?.split('_')[0]).filter((id): id is string => Boolean(id)))];

    started = performance.now();
    const rows = await new SlurmCommands({ env }).squeue();
    const squeueMs = performance.now() - started;

    // serve's own poll sees every job pending, then listRuns is timed.
    for (let settled = false; !settled; ) {
      const listed = (await client.call<RunListItem[]>('listRuns')).value;
      settled = listed.filter((run) => ids.has(run.id)).every((run) => 'job' in run && run.job?.state === 'PENDING');
      if (!settled) await new Promise((resolve) => setTimeout(resolve, 500));
    }
    const timings: number[] = [];
    let bytes = 0;
    const cpuBefore = await cpuMs(server.pid!);
    for (let i = 0; i < 5; i++) {
      const call = performance.now();
      bytes = (await client.call<RunListItem[]>('listRuns')).bytes;
      timings.push(performance.now() - call);
    }
    const cpuPerCall = ((await cpuMs(server.pid!)) - cpuBefore) / 5;
    const view = await timeRunsView(url, Math.min(ids.size, RUNS_VIEW_PAGE));
    const rssAfter = await memory(server.pid!);
    client.close();
    const table: Row[] = [
      { name: 'Slurm', value: fake ? 'fake sbatch/squeue (no cluster here, or --fake)' : `real: ${execFileSync('sbatch', ['--version'], { encoding: 'utf8' }).trim()}` },
      { name: 'runs in the sweep', value: `${sweep.value.runs.length} (${arrays.length} job array${arrays.length === 1 ? '' : 's'}: ${arrays.join(', ')})` },
      { name: 'createSweep (folders + submit)', value: `${submitMs.toFixed(0)} ms` },
      { name: 'one squeue for every job', value: `${squeueMs.toFixed(0)} ms, ${rows.length} rows` },
      { name: 'listRuns (warm, 5 calls)', value: `median ${median(timings).toFixed(0)} ms, worst ${Math.max(...timings).toFixed(0)} ms (serve CPU ${cpuPerCall.toFixed(0)} ms a call), ${formatBytes(bytes)}` },
      { name: `Runs view, newest ${Math.min(ids.size, RUNS_VIEW_PAGE)} rows`, value: view },
      { name: 'machine load (1-min average)', value: `${loadavg()[0]!.toFixed(1)} on ${cpus().length} cores` },
      { name: 'serve RSS before → after', value: `${rssBefore.rss} → ${rssAfter.rss} MB (peak ${rssAfter.peak} MB)` },
    ];
    if (values.json) console.log(JSON.stringify(Object.fromEntries(table.map((row) => [row.name, row.value]))));
    else for (const row of table) console.log(`${row.name.padEnd(32)} ${row.value}`);
  } finally {
    for (const id of arrays) {
      try {
        execFileSync('scancel', [id], { env });
      } catch {
        // Already gone.
      }
    }
    server.kill('SIGINT');
    await new Promise((resolve) => server.once('exit', resolve));
    await rm(home, { recursive: true, force: true });
  }
}

function hasSlurm(): boolean {
  try {
    execFileSync('squeue', ['--me', '-h', '-o', '%i'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/**
 * The Runs view in Chromium until `count` rows are in the page: the first load (the server also
 * builds the presets' model summaries and probes its backend for it) and a reload (the list alone).
 */
async function timeRunsView(url: string, count: number): Promise<string> {
  const { chromium } = await import('playwright-core');
  const executablePath = '/usr/bin/chromium';
  try {
    await readFile(executablePath);
  } catch {
    return 'n/a (no Chromium at /usr/bin/chromium)';
  }
  // serve serves the built renderer: it must be there (and current: npm run build).
  if (!existsSync(join(packageRoot(), 'out', 'renderer', 'index.html'))) return 'n/a (no built renderer: run npm run build first)';
  const browser = await chromium.launch({ executablePath, args: ['--no-sandbox', '--headless', '--disable-gpu'], headless: true });
  try {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    // When the run list's reply reaches the page (the largest message), to split the wait from the drawing.
    let listArrived = 0;
    page.on('websocket', (socket) =>
      socket.on('framereceived', ({ payload }) => {
        if (String(payload).includes('"latestSampleUrl"')) listArrived = performance.now();
      }),
    );
    const load = async (navigate: () => Promise<unknown>): Promise<{ total: number; drawing: number }> => {
      const started = performance.now();
      await navigate();
      await page.waitForFunction((n) => document.querySelectorAll('li[data-run-id]').length >= n, count, { timeout: 300_000, polling: 50 });
      const done = performance.now();
      return { total: done - started, drawing: done - listArrived };
    };
    const first = await load(() => page.goto(url.replace(/#.*$/, '') + '#/runs'));
    // The page's main-thread CPU time for the reload (Chrome's ThreadTime), steadier than wall time on a busy machine.
    const cdp = await page.context().newCDPSession(page);
    await cdp.send('Performance.enable');
    const threadTime = async () => (await cdp.send('Performance.getMetrics')).metrics.find((metric) => metric.name === 'ThreadTime')?.value ?? 0;
    const cpuBefore = await threadTime();
    const reload = await load(() => page.reload());
    const reloadCpu = ((await threadTime()) - cpuBefore) * 1000;
    const heap = await page.evaluate(() => (performance as unknown as { memory?: { usedJSHeapSize: number } }).memory?.usedJSHeapSize ?? 0);
    const ms = (value: number) => `${value.toFixed(0)} ms`;
    return `page load → rows ${ms(first.total)} (reload ${ms(reload.total)}, page CPU ${ms(reloadCpu)}); list reply → rows drawn ${ms(first.drawing)} (reload ${ms(reload.drawing)}); page JS heap ${(heap / 2 ** 20).toFixed(0)} MB`;
  } finally {
    await browser.close();
  }
}

/**
 * sbatch, squeue, scontrol, scancel and sacct as small bash scripts that answer like Slurm 22.05
 * for pending array tasks (state in a file), squeue in the fields of SQUEUE_FORMAT: enough for
 * the studio to submit and list at scale.
 */
async function writeFakeSlurm(home: string): Promise<string> {
  const bin = join(home, 'fake-slurm');
  const state = join(home, 'fake-slurm-state');
  await mkdir(bin, { recursive: true });
  const scripts: Record<string, string> = {
    sbatch: `[ "$1" = --version ] && { echo "slurm 22.05.8 (fake)"; exit 0; }
script="\${@: -1}"; id=$(( $(cat "${state}.next" 2>/dev/null || echo 100) + 1 )); echo $id >"${state}.next"
name=$(sed -n 's/^#SBATCH --job-name=//p' "$script"); range=$(sed -n 's/^#SBATCH --array=0-\\([0-9]*\\).*/\\1/p' "$script")
echo "$id $name \${range:-}" >>"${state}"; echo $id`,
    squeue: `[ -f "${state}" ] || exit 0
while read -r id name last; do
  if [ -z "$last" ]; then echo "$id|PENDING|BeginTime||0||$name|"; else for i in $(seq 0 "$last"); do echo "\${id}_$i|PENDING|BeginTime||0||$name|"; done; fi
done <"${state}"`,
    scontrol: `[ "$1 $2" = "show config" ] && echo "MaxArraySize            = 1001"; exit 0`,
    scancel: `for id in "$@"; do sed -i "/^$id /d" "${state}"; done`,
    sacct: `echo "Slurm accounting storage is disabled" >&2; exit 1`,
  };
  for (const [name, body] of Object.entries(scripts)) {
    await writeFile(join(bin, name), `#!/bin/bash\n${body}\n`);
    await chmod(join(bin, name), 0o755);
  }
  return bin;
}

/** Rows the Runs view shows before "Show more" (RunsView.svelte's page). */
const RUNS_VIEW_PAGE = 200;

/** CPU time (user + system) the process has used, in ms (Linux /proc; clock ticks of 10 ms). */
async function cpuMs(pid: number): Promise<number> {
  const fields = (await readFile(`/proc/${pid}/stat`, 'utf8')).split(') ')[1]!.split(' ');
  return (Number(fields[11]) + Number(fields[12])) * 10;
}

const median = (values: number[]): number => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;


/** The server's resident memory now and at its peak, in MB (Linux /proc). */
async function memory(pid: number): Promise<{ rss: number; peak: number }> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  const field = (name: string): number => Math.round(Number(new RegExp(`${name}:\\s+(\\d+)`).exec(status)?.[1] ?? 0) / 1024);
  return { rss: field('VmRSS'), peak: field('VmHWM') };
}

await main(process.argv.slice(2));
