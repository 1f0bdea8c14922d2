/**
 * `npm run bench:serve`: how a real `gan-studio serve` holds when long runs
 * are opened. Writes `--runs` runs of `--steps` step records each, starts
 * serve as its own process on loopback, then measures over real sockets:
 * one cold getRun (time, message size), `--runs` getRun calls at once (total
 * time) while an HTTP request is sent every 20 ms (the worst wait = how long
 * other requests stall), a zoomed step range, and the server's peak memory.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { get } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import type { RunDetail } from '../shared/api';
import { formatBytes } from '../main/data/errors';
import { LoadClient } from '../main/server/load-client';
import { writeLongRun } from '../main/server/load-fixture';
import { readyUrl, spawnServe } from './bench-serve-process';

const help = `Usage: npm run bench:serve -- [--steps N] [--steps-per-epoch N] [--runs N] [--json]

  --steps N             Step records per run (default 200000)
  --steps-per-epoch N   Steps per epoch (default 1000); each epoch also has a
                        grid PNG and every 10th a score record, so a small N
                        makes a run of many epochs (16: 12,500 epochs)
  --runs N              Runs opened at once (default 10)
  --json                One JSON object instead of the table`;

interface Row {
  name: string;
  value: string;
}

async function main(argv: string[]): Promise<void> {
  const { values } = parseArgs({
    args: argv,
    options: { steps: { type: 'string' }, 'steps-per-epoch': { type: 'string' }, runs: { type: 'string' }, json: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } },
  });
  if (values.help) return void console.log(help);
  const steps = Number(values.steps ?? 200_000);
  const stepsPerEpoch = Number(values['steps-per-epoch'] ?? 1000);
  const runs = Number(values.runs ?? 10);
  const home = await mkdtemp(join(tmpdir(), 'gan-bench-serve-'));
  const server = spawnServe({ ...process.env, GAN_STUDIO_HOME: home, GAN_STUDIO_RUNS: join(home, 'runs') });
  try {
    const ids: string[] = [];
    for (let i = 0; i < runs; i++) ids.push(await writeLongRun(join(home, 'runs'), join(home, 'datasets', 'ds'), steps, stepsPerEpoch, { samples: true, scoreEvery: 10 }));
    const url = await readyUrl(server);
    const { port, searchParams } = new URL(url);
    const token = searchParams.get('token')!;
    const clients = await Promise.all(ids.map(() => LoadClient.connect(Number(port), token)));
    const rssBefore = await memory(server.pid!);

    let started = performance.now();
    const cold = await clients[0]!.call<RunDetail>('getRun', ids[0]);
    const coldMs = performance.now() - started;
    const warmStart = performance.now();
    await clients[0]!.call<RunDetail>('getRun', ids[0]);
    const warmMs = performance.now() - warmStart;

    let probing = true;
    let worstProbeMs = 0;
    const probe = (async () => {
      while (probing) {
        const sent = performance.now();
        await httpGet(`http://127.0.0.1:${port}/?token=${token}`);
        worstProbeMs = Math.max(worstProbeMs, performance.now() - sent);
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    })();
    started = performance.now();
    const replies = await Promise.all(clients.map((client, i) => client.call<RunDetail>('getRun', ids[i])));
    const concurrentMs = performance.now() - started;
    probing = false;
    await probe;

    let zoom = 'n/a (no getRunSteps)';
    try {
      const zoomStart = performance.now();
      const reply = await clients[1]!.call<{ steps: unknown[] }>('getRunSteps', ids[1], Math.floor(steps / 2), Math.floor(steps / 2) + steps / 100);
      zoom = `${(performance.now() - zoomStart).toFixed(0)} ms, ${formatBytes(reply.bytes)}, ${reply.value.steps.length} points`;
    } catch {
      // An older server without the zoom call: the row says so.
    }
    const rssAfter = await memory(server.pid!);
    for (const client of clients) client.close();
    const rows: Row[] = [
      { name: 'steps per run', value: `${steps.toLocaleString('en-US')} (${Math.floor(steps / stepsPerEpoch).toLocaleString('en-US')} epochs with a grid each)` },
      { name: 'getRun cold', value: `${coldMs.toFixed(0)} ms, ${formatBytes(cold.bytes)}, ${cold.value.steps.length} step points` },
      { name: 'getRun records sent', value: `${cold.value.epochs.length} epochs, ${cold.value.samples.length} grids, ${cold.value.scores.length} scores` },
      { name: 'getRun warm', value: `${warmMs.toFixed(0)} ms` },
      { name: `getRun x${runs} at once`, value: `${concurrentMs.toFixed(0)} ms, largest ${formatBytes(Math.max(...replies.map((r) => r.bytes)))}` },
      { name: 'worst HTTP wait meanwhile', value: `${worstProbeMs.toFixed(0)} ms` },
      { name: 'zoom (1% of steps)', value: zoom },
      { name: 'server RSS before → after', value: `${rssBefore.rss} → ${rssAfter.rss} MB (peak ${rssAfter.peak} MB)` },
    ];
    if (values.json) console.log(JSON.stringify(Object.fromEntries(rows.map((r) => [r.name, r.value]))));
    else for (const row of rows) console.log(`${row.name.padEnd(28)} ${row.value}`);
  } finally {
    server.kill('SIGINT');
    await new Promise((resolve) => server.once('exit', resolve));
    await rm(home, { recursive: true, force: true });
  }
}



function httpGet(url: string): Promise<void> {
  return new Promise((resolve, reject) => {
    get(url, (res) => {
      res.resume();
      res.on('end', resolve);
    }).on('error', reject);
  });
}

/** The server's resident memory now and at its peak, in MB (Linux /proc). */
async function memory(pid: number): Promise<{ rss: number; peak: number }> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  const field = (name: string): number => Math.round(Number(new RegExp(`${name}:\\s+(\\d+)`).exec(status)?.[1] ?? 0) / 1024);
  return { rss: field('VmRSS'), peak: field('VmHWM') };
}

await main(process.argv.slice(2));
