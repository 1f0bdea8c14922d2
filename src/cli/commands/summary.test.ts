import { afterEach, describe, expect, it, vi } from 'vitest';
import { CliError } from '../cli-error';
import { EXIT } from '../exit-codes';
import { help, run } from './summary';

function captureLog(): { text: () => string } {
  const spy = vi.spyOn(console, 'log').mockImplementation(() => undefined);
  return { text: () => spy.mock.calls.map((call) => call.join(' ')).join('\n') };
}

afterEach(() => {
  vi.restoreAllMocks();
});

describe('gan-studio summary', () => {
  it('prints the generator and discriminator tables with their totals', async () => {
    const log = captureLog();
    await expect(run(['--preset', 'seed-model-one'])).resolves.toBe(EXIT.ok);
    const text = log.text();
    expect(text).toContain('Model: "generator"');
    expect(text).toContain('Total params: 2,733,504');
    expect(text).toContain('Trainable params: 2,700,352');
    expect(text).toContain('Model: "discriminator"');
    expect(text).toContain('Total params: 217,985');
  });

  it('applies --latent-dim and --filter-scale', async () => {
    const log = captureLog();
    await expect(run(['--preset', 'tiny', '--latent-dim', '8', '--filter-scale', '2'])).resolves.toBe(EXIT.ok);
    // Dense 8 → 4·4·32 without bias = 4,096 params; reshape to (4, 4, 32).
    expect(log.text()).toMatch(/dense \(Dense\) +\(None, 512\) +4,096/);
    expect(log.text()).toContain('(None, 4, 4, 32)');
  });

  it.each([
    [['--preset', 'nope'], /Unknown preset "nope"\. Valid presets: tf-tutorial, seed-model-one, seed-model-four, dcgan-64, tiny/],
    [[], /Expected --preset NAME, got none/],
    [['--preset', 'tiny', '--latent-dim', '2.5'], /--latent-dim: expected an integer, got "2\.5"/],
    [['--preset', 'tiny', '--filter-scale', 'big'], /--filter-scale: expected a number, got "big"/],
    [['--preset', 'tiny', '--latent-dim', '0'], /--latent-dim \(latentDim\) must be at least 1\./],
    [['--preset', 'tiny', '--bogus'], /Unknown option '--bogus'/],
  ])('rejects %j with a usage error (exit 2)', async (argv, message) => {
    const failure = run(argv);
    await expect(failure).rejects.toThrow(CliError);
    await expect(failure).rejects.toThrow(message);
    await expect(failure).rejects.toMatchObject({ exitCode: EXIT.usage });
  });

  it('documents every option in --help', () => {
    for (const flag of ['--preset', '--latent-dim', '--filter-scale', 'dcgan-64']) expect(help).toContain(flag);
  });
});
