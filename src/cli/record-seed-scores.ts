/**
 * Records the seed-to-seed spread of the quality scores once, for the verdict's
 * null test (src/shared/verdict-null.test.ts): trains one config with many
 * seeds through the real `gan-studio train` (a child process per seed, one at
 * a time), then keeps only what the test needs — each seed's score values and
 * each score's own std, per epoch — as a small JSON fixture. Runs already finished in --work are reused,
 * so an interrupted recording picks up where it stopped.
 *
 *   npx tsx src/cli/record-seed-scores.ts --preset tiny --epochs 3 --seeds 20 \
 *     --work /tmp/seed-runs --fixture src/shared/fixtures/tiny-seed-scores.json
 *
 * --train-args="--g-lr 0.0001" passes more `gan-studio train` flags (a recipe
 * to measure); give each recipe its own --work folder.
 *
 * Set GAN_STUDIO_HOME to keep the dataset cache (and its score classifier)
 * apart from your own: every seed must be scored by the same classifier.
 */
import { spawn } from 'node:child_process';
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { listRuns, readRunJsonl } from '../main/runs';
import type { SeedScoresFixture } from '../shared/seed-scores-fixture';
import { SCORE_NAMES } from '../shared/scores';

const CLI = join(dirname(fileURLToPath(import.meta.url)), 'gan-studio.js');

interface Options {
  preset: string;
  /** More `gan-studio train` flags, as given. */
  trainArgs: string[];
  epochs: number;
  seeds: number;
  work: string;
  fixture: string;
}

function parse(argv: string[]): Options {
  const { values } = parseArgs({
    args: argv,
    options: {
      preset: { type: 'string', default: 'tiny' },
      'train-args': { type: 'string', default: '' },
      epochs: { type: 'string', default: '3' },
      seeds: { type: 'string', default: '20' },
      work: { type: 'string' },
      fixture: { type: 'string' },
    },
    strict: true,
  });
  if (!values.work || !values.fixture) throw new Error('Expected --work DIR (the runs) and --fixture FILE (the JSON to write).');
  const whole = (flag: string, text: string) => {
    const n = Number(text);
    if (!Number.isInteger(n) || n < 1) throw new Error(`Expected ${flag} to be a positive whole number, got "${text}".`);
    return n;
  };
  return {
    preset: values.preset,
    trainArgs: values['train-args'].split(' ').filter(Boolean),
    epochs: whole('--epochs', values.epochs),
    seeds: whole('--seeds', values.seeds),
    work: resolve(values.work),
    fixture: resolve(values.fixture),
  };
}

/** `gan-studio train` for one seed, its output passed through. */
function train(options: Options, seed: number): Promise<void> {
  const args = [CLI, 'train', '--preset', options.preset, '--epochs', String(options.epochs), '--seed', String(seed), '--out', options.work, '--name', `seed ${seed}`, ...options.trainArgs];
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, args, { stdio: ['ignore', 'inherit', 'inherit'] });
    child.on('error', fail);
    child.on('exit', (code) => (code === 0 ? done() : fail(new Error(`gan-studio train --seed ${seed} exited with ${code}.`))));
  });
}

/** Finished runs of this config in the work folder, by seed. */
async function finishedBySeed(options: Options): Promise<Map<number, { dir: string; dataset: string }>> {
  const bySeed = new Map<number, { dir: string; dataset: string }>();
  for (const { dir, record } of await listRuns(options.work).catch(() => [])) {
    if (record?.status === 'completed' && record.config.preset === options.preset && record.config.epochs === options.epochs) {
      bySeed.set(record.config.seed, { dir, dataset: record.dataset.name });
    }
  }
  return bySeed;
}

async function main(): Promise<void> {
  const options = parse(process.argv.slice(2));
  await mkdir(options.work, { recursive: true });
  for (let seed = 1; seed <= options.seeds; seed++) {
    if ((await finishedBySeed(options)).has(seed)) continue;
    console.log(`seed ${seed}/${options.seeds}`);
    await train(options, seed);
  }
  const runs = await finishedBySeed(options);
  const fixture: SeedScoresFixture = { preset: options.preset, trainArgs: options.trainArgs.join(' '), dataset: '', network: '', sampleSize: 0, seeds: [] };
  for (let seed = 1; seed <= options.seeds; seed++) {
    const run = runs.get(seed)!;
    const { records, note } = await readRunJsonl(run.dir, 'scores');
    if (note) throw new Error(`Seed ${seed}: ${note} Record it again.`);
    const first = records[0]!;
    fixture.dataset ||= run.dataset;
    fixture.network ||= first.feature.network;
    fixture.sampleSize ||= first.sampleSize;
    if (first.feature.network !== fixture.network) throw new Error(`Seed ${seed} was scored by another network (${first.feature.network}): record every seed with the same GAN_STUDIO_HOME.`);
    fixture.seeds.push({
      seed,
      epochs: records.map((record) => {
        // Six significant digits: far finer than any seed-to-seed spread.
        const pick = (field: 'value' | 'std') =>
          Object.fromEntries(SCORE_NAMES.flatMap((name) => (record.scores[name] ? [[name, Number(record.scores[name][field].toPrecision(6))]] : [])));
        return { epoch: record.epoch, values: pick('value'), stds: pick('std') };
      }),
    });
  }
  await mkdir(dirname(options.fixture), { recursive: true });
  await writeFile(options.fixture, `${JSON.stringify(fixture, null, 1)}\n`);
  console.log(`Wrote ${options.fixture}: ${fixture.seeds.length} seeds of ${options.preset}, epochs 1–${options.epochs}.`);
}

main().catch((error: unknown) => {
  console.error((error as Error).message);
  process.exitCode = 1;
});
