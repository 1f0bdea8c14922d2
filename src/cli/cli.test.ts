/**
 * The gan-studio command as a user runs it: a real process, real files, real
 * trainer child. Exit codes and messages are part of the contract.
 */
import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const run = promisify(execFile);
const BIN = join(import.meta.dirname, 'gan-studio.js');
let home: string;

async function cli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, [BIN, ...args], {
      env: { ...process.env, GAN_STUDIO_HOME: home, GAN_STUDIO_RUNS: join(home, 'runs') },
      timeout: 180_000,
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}

/** A two-class folder of small real PNGs (bright squares vs dark discs). */
async function writeImageFolder(dir: string, perClass: number): Promise<void> {
  for (const [label, fill] of [['squares', 230], ['discs', 40]] as const) {
    await mkdir(join(dir, label), { recursive: true });
    for (let i = 0; i < perClass; i++) {
      const size = 20;
      const pixels = Buffer.alloc(size * size * 3, 255 - fill);
      for (let y = 4 + (i % 3); y < 14 + (i % 3); y++) for (let x = 5; x < 15; x++) pixels.fill(fill, (y * size + x) * 3, (y * size + x) * 3 + 3);
      await sharp(pixels, { raw: { width: size, height: size, channels: 3 } }).png().toFile(join(dir, label, `${i}.png`));
    }
  }
}

beforeAll(async () => {
  home = await mkdtemp(join(tmpdir(), 'gan-cli-'));
});
afterAll(async () => {
  await rm(home, { recursive: true, force: true });
});

describe('gan-studio CLI', () => {
  it('prints usage and rejects unknown commands', async () => {
    const help = await cli(['--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('Usage: gan-studio <command>');
    const unknown = await cli(['fly']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('Unknown command "fly".\n');
    const typo = await cli(['trian']);
    expect(typo.code).toBe(2);
    expect(typo.stderr).toContain('Unknown command "trian". Did you mean "train"?');
    const trainHelp = await cli(['train', '--help']);
    expect(trainHelp.code).toBe(0);
    expect(trainHelp.stdout).toContain('--resume RUN_DIR');
    for (const flag of ['--loss bce|hinge|least-squares', '--label-smoothing X', '--instance-noise X', '--diffaugment color,translation,cutout', '--ema DECAY', '--spectral-norm', '--r1 GAMMA']) {
      expect(trainHelp.stdout).toContain(flag);
    }
  });

  it('trains a tiny run on an image folder, then resumes it for another epoch', async () => {
    const data = join(home, 'shapes');
    await writeImageFolder(data, 24);
    const out = join(home, 'cli-runs');
    const first = await cli(['train', '--data', data, '--preset', 'tiny', '--epochs', '1', '--batch-size', '16', '--seed', '7', '--out', out]);
    expect(first.stderr).not.toMatch(/\n\s+at /); // no stack traces
    expect(first.code).toBe(0);
    expect(first.stderr).toMatch(/epoch 1\/1: gen_loss [\d.]+ disc_loss [\d.]+/);
    const [runId] = await readdir(out);
    const runDir = join(out, runId as string);
    const record = JSON.parse(await readFile(join(runDir, 'run.json'), 'utf8'));
    expect(record).toMatchObject({ status: 'completed', epoch: 1, step: 3 });
    expect(record.dataset.name).toBeTruthy();
    // Named as the studio names runs, not by its folder id; and the next commands follow.
    expect(record.name).toMatch(/^tiny · shapes\b/);
    expect(record.name).toContain('1 epoch');
    expect(first.stderr).toContain(`Next:\n  gan-studio score ${runDir}`);
    const grid = await sharp(join(runDir, 'samples', 'epoch-0001.png')).metadata();
    expect(grid.format).toBe('png');

    const changed = await cli(['train', '--resume', runDir, '--epochs', '2', '--batch-size', '8']);
    expect(changed.code).toBe(2);
    expect(changed.stderr).toContain('--batch-size cannot change them');

    const second = await cli(['train', '--resume', runDir, '--epochs', '2']);
    expect(second.code).toBe(0);
    const resumed = JSON.parse(await readFile(join(runDir, 'run.json'), 'utf8'));
    expect(resumed).toMatchObject({ status: 'completed', epoch: 2, step: 6 });
    const steps = (await readFile(join(runDir, 'metrics.jsonl'), 'utf8')).trim().split('\n').map((line) => JSON.parse(line).step);
    expect(steps).toEqual([1, 2, 3, 4, 5, 6]);

    // A bad --epochs on resume is refused before run.json is touched (it would make the run unreadable).
    const fractional = await cli(['train', '--resume', runDir, '--epochs', '2.5']);
    expect(fractional.code).toBe(2);
    expect(fractional.stderr).toContain('--epochs (epochs)');
    const lower = await cli(['train', '--resume', runDir, '--epochs', '1']);
    expect(lower.code).toBe(2);
    expect(lower.stderr).toContain('Hint: Pass --epochs 3 or more to train further.');
    expect(JSON.parse(await readFile(join(runDir, 'run.json'), 'utf8')).config.epochs).toBe(2);

    // A deleted dataset cache is rebuilt from --data at the preset's shape (inspect-data alone would not match).
    await rm(record.dataset.dir, { recursive: true });
    const noCache = await cli(['train', '--resume', runDir, '--epochs', '3']);
    expect(noCache.code).toBe(2);
    expect(noCache.stderr).toContain(`--resume ${runDir} --data PATH`);
    const rebuilt = await cli(['train', '--resume', runDir, '--epochs', '3', '--data', data]);
    expect(rebuilt.code).toBe(0);
    expect(JSON.parse(await readFile(join(runDir, 'run.json'), 'utf8'))).toMatchObject({ status: 'completed', epoch: 3, step: 9 });
  });

  it('extends a finished run past step 149, where Adam’s β1 0.5 power is 0; a refused resume leaves the run as it was', async () => {
    const out = join(home, 'extend-runs');
    // The built-in sample, 160 images in batches of 2: 80 steps an epoch, so 2 epochs end at step 160.
    const first = await cli(['train', '--preset', 'tiny', '--epochs', '2', '--seed', '4', '--max-images', '160', '--batch-size', '2', '--out', out]);
    expect(first.code).toBe(0);
    const [runId] = await readdir(out);
    const runDir = join(out, runId as string);
    expect(JSON.parse(await readFile(join(runDir, 'run.json'), 'utf8'))).toMatchObject({ status: 'completed', epoch: 2, step: 160 });

    const extended = await cli(['train', '--resume', runDir, '--epochs', '3']);
    expect(extended.stderr).not.toContain('damaged');
    expect(extended.code).toBe(0);
    expect(extended.stderr).toMatch(/finished: 3 epochs, 240 steps/);
    const record = await readFile(join(runDir, 'run.json'), 'utf8');
    expect(JSON.parse(record)).toMatchObject({ status: 'completed', epoch: 3, step: 240, config: { epochs: 3 } });

    // Refused before anything changes: a bad length, then every checkpoint really damaged.
    const negative = await cli(['train', '--resume', runDir, '--epochs', '-1']);
    expect(negative.code).toBe(2);
    expect(negative.stderr).toContain('--epochs (epochs)');
    const checkpoints = await readdir(join(runDir, 'checkpoints'));
    for (const name of checkpoints) await rm(join(runDir, 'checkpoints', name, 'generator', 'model.json'));
    const refused = await cli(['train', '--resume', runDir, '--epochs', '4']);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/Every checkpoint of .* is damaged: .*generator\/model\.json is missing/);
    expect(refused.stderr).toContain('Nothing in the run was changed: its status, metrics, samples, exports and checkpoints are as they were.');
    expect(refused.stderr).not.toMatch(/delete|remove/i);
    // run.json byte for byte: still completed, still 3 epochs long; the checkpoints are all still there.
    expect(await readFile(join(runDir, 'run.json'), 'utf8')).toBe(record);
    expect(await readdir(join(runDir, 'checkpoints'))).toEqual(checkpoints);
  });

  it('explains bad input with exit code 2 and no stack trace', async () => {
    const empty = join(home, 'empty');
    await mkdir(empty);
    const noImages = await cli(['train', '--data', empty, '--out', join(home, 'never')]);
    expect(noImages.code).toBe(2);
    expect(noImages.stderr).toMatch(/Error: .*/);
    expect(noImages.stderr).not.toMatch(/\n\s+at /);
    await expect(readdir(join(home, 'never'))).rejects.toThrow();

    const preset = await cli(['train', '--preset', 'giant']);
    expect(preset.code).toBe(2);
    expect(preset.stderr).toMatch(/--preset expects one of .*tf-tutorial.*, got "giant"/);

    // A negative number after a flag is its value (node's parseArgs alone calls it ambiguous): the range message answers.
    const negativeLr = await cli(['train', '--g-lr', '-1']);
    expect(negativeLr.code).toBe(2);
    expect(negativeLr.stderr).toMatch(/--g-lr \(generatorLearningRate\) must be more than 0\./);
    expect(negativeLr.stderr).not.toContain('ambiguous');
    const negativeEpochs = await cli(['train', '--epochs', '-1']);
    expect(negativeEpochs.code).toBe(2);
    expect(negativeEpochs.stderr).toMatch(/--epochs \(epochs\) must be at least 1\./);
    expect(negativeEpochs.stderr).not.toContain('ambiguous');

    for (const bad of ['0', '-5', '1.5', 'all']) {
      const maxImages = await cli(['train', '--max-images', bad, '--out', join(home, 'never')]);
      expect(maxImages.code).toBe(2);
      expect(maxImages.stderr).toContain(`Error: --max-images expects a positive whole number, got "${bad}".`);
      expect(maxImages.stderr).not.toContain('--mixed-size'); // inspect-data's flags, not train's
    }

    const unknown = await cli(['train', '--bogus-flag']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain("Unknown option '--bogus-flag'");
    expect(unknown.stderr).toContain('Hint: Run "gan-studio train --help" for its options.');
    const typo = await cli(['train', '--epoch', '2']);
    expect(typo.code).toBe(2);
    expect(typo.stderr).toContain('Hint: Did you mean "--epochs"? Run "gan-studio train --help" for its options.');

    const loss = await cli(['train', '--loss', 'wasserstein']);
    expect(loss.code).toBe(2);
    expect(loss.stderr).toContain('--loss expects one of bce, hinge, least-squares, got "wasserstein"');
    const augment = await cli(['train', '--diffaugment', 'color,zoom']);
    expect(augment.stderr).toContain('--diffaugment expects a comma-separated list of color, translation, cutout (or none), got "zoom"');
    const recipes = await cli(['train', '--ema', '1', '--loss', 'hinge', '--label-smoothing', '0.1']);
    expect(recipes.code).toBe(2);
    expect(recipes.stderr).toContain('--ema (emaDecay)');
    expect(recipes.stderr).toContain('hinge has no targets');

    const lr = await cli(['train', '--g-lr=-1']);
    expect(lr.code).toBe(2);
    expect(lr.stderr).toContain('--g-lr (generatorLearningRate)');

    const notARun = await cli(['train', '--resume', empty]);
    expect(notARun.code).toBe(2);
    expect(notARun.stderr).toContain('Expected a run directory');
  });

  it('fails with exit code 3 when a forced backend cannot load', async () => {
    const result = await cli(['train', '--backend', 'tfjs-node-gpu']);
    expect(result.code).toBe(3);
    expect(result.stderr).toContain('tfjs-node-gpu');
  });

  it("keeps Dawn's warnings about a software adapter's limits out of the terminal with --backend webgpu", async () => {
    const result = await cli(['train', '--backend', 'webgpu', '--preset', 'tiny', '--epochs', '1', '--max-images', '32', '--batch-size', '16', '--score-every', '0', '--out', join(home, 'webgpu-runs')]);
    // Where webgpu loads (llvmpipe here and in CI) it trains; where it does not, the refusal is all there is.
    if (result.code === 0) expect(result.stderr).toContain('backend: webgpu');
    else expect(result.code).toBe(3);
    expect(result.stderr).not.toMatch(/artificially reduced/);
    if (result.code !== 0) return;
    // generate computes in the CLI's own process: with webgpu forced it runs in a filtered child of itself.
    const [run] = await readdir(join(home, 'webgpu-runs'));
    const drawn = await cli(['generate', join(home, 'webgpu-runs', run!), '--backend', 'webgpu', '--n', '4', '--seed', '1', '--grid', '--out', join(home, 'webgpu-grid.png')]);
    expect(drawn.code, drawn.stderr).toBe(0);
    expect((await sharp(join(home, 'webgpu-grid.png')).metadata()).width).toBeGreaterThan(0);
    expect(drawn.stderr).not.toMatch(/artificially reduced/);
  }, 240_000);

  it('prints the Keras-style summary with the course totals', async () => {
    const result = await cli(['summary', '--preset', 'seed-model-one']);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('2,733,504');
    expect(result.stdout).toContain('2,700,352');
  });
});
