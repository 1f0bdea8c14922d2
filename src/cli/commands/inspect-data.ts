/**
 * `gan-studio inspect-data`: imports a dataset into the cache (or finds it
 * there) and prints the import report — the quickest way to check that a
 * folder or file will train before starting a run.
 */
import { parseCliArgs } from '../parse-args';
import { builtinDatasetSource, DatasetError, formatImportReport, importDataset } from '../../main/data/index';
import type { ImportProgress } from '../../main/data/index';
import { defaultDatasetsRoot } from '../../main/studio-home';
import type { ImportOptions } from '../../shared/dataset';
import { printableLines } from '../../shared/printable';
import { CliError } from '../cli-error';
import { EXIT } from '../exit-codes';

export const help = `Usage: gan-studio inspect-data [PATH] [options]

Import a dataset (or reuse its cache) and print the report: image count,
size, channels, classes with counts, and skipped files with the reason.
PATH is a folder of images (one subfolder per class), a .zip/.tar/.tar.gz/.tgz
of one, a CIFAR-10/100 binary folder or .tar.gz, MNIST-style IDX files
(the images file or their folder) or an .npy array. Without PATH the built-in
Fashion-MNIST sample is used.

Options:
  --size N             Resize every image to N×N (4–1024)
  --mixed-size N       Without --size: the N×N square images of mixed sizes are
                       all brought to (default 64); the report says so
  --fit cover|contain  cover = centre crop (default), contain = pad with the background
  --background #RRGGBB Colour for padding and transparent pixels (default #000000)
  --channels 1|3       1 = gray (luminance), 3 = RGB (default: the source's)
  --classes A,B        Keep only these classes
  --max-images N       Import at most N images (the first N in source order)
  --cache DIR          Cache folder (default: $GAN_STUDIO_HOME/datasets,
                       i.e. ~/.gan-studio/datasets)
  -h, --help           Show this help

Exit codes: 0 the dataset is usable, 2 it is not (the reason is printed),
130 interrupted.`;

interface InspectArgs {
  source: string;
  cacheRoot: string;
  options: ImportOptions;
}

function positiveInt(flag: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new CliError(`Expected ${flag} to be a positive whole number, got "${value}".`, EXIT.usage, 'Run "gan-studio inspect-data --help" for the options.');
  return n;
}

function parse(argv: string[]): InspectArgs {
  let parsed;
  try {
    parsed = parseCliArgs({
      args: argv,
      options: {
        size: { type: 'string' },
        'mixed-size': { type: 'string' },
        fit: { type: 'string' },
        background: { type: 'string' },
        channels: { type: 'string' },
        classes: { type: 'string' },
        'max-images': { type: 'string' },
        cache: { type: 'string' },
      },
      strict: true,
      allowPositionals: true,
    });
  } catch (error) {
    throw new CliError((error as Error).message, EXIT.usage, 'Run "gan-studio inspect-data --help" for the options.');
  }
  const { values, positionals } = parsed;
  if (positionals.length > 1) throw new CliError(`Expected one PATH, got ${positionals.length}: ${positionals.join(' ')}.`, EXIT.usage, 'Quote paths that contain spaces.');
  const channels = values.channels;
  if (channels !== undefined && channels !== '1' && channels !== '3') throw new CliError(`Expected --channels 1 or 3, got "${channels}".`);
  const fit = values.fit;
  if (fit !== undefined && fit !== 'cover' && fit !== 'contain') throw new CliError(`Expected --fit cover or contain, got "${fit}".`);
  const options: ImportOptions = {
    size: positiveInt('--size', values.size),
    mixedSize: positiveInt('--mixed-size', values['mixed-size']),
    channels: channels === undefined ? undefined : channels === '1' ? 1 : 3,
    fit,
    background: values.background,
    classes: values.classes?.split(',').map((c) => c.trim()).filter(Boolean),
    maxImages: positiveInt('--max-images', values['max-images']),
  };
  // Leave unset options out so the schema's defaults apply.
  const defined = Object.fromEntries(Object.entries(options).filter(([, v]) => v !== undefined)) as ImportOptions;
  return { source: positionals[0] ?? builtinDatasetSource(), cacheRoot: values.cache ?? defaultDatasetsRoot(), options: defined };
}

function progressLine(): (p: ImportProgress) => void {
  if (!process.stderr.isTTY) return () => undefined;
  return (p) => {
    const amount = p.total ? `${p.done}/${p.total}` : p.done ? String(p.done) : '';
    process.stderr.write(`\r\x1b[K${p.phase} ${amount}`);
    if (p.phase === 'done') process.stderr.write('\r\x1b[K');
  };
}

/** Runs the command; returns the exit code. */
export async function run(argv: string[]): Promise<number> {
  const controller = new AbortController();
  const onInterrupt = (): void => controller.abort();
  process.once('SIGINT', onInterrupt);
  try {
    const args = parse(argv);
    const { manifest, cached } = await importDataset(args.source, args.options, { cacheRoot: args.cacheRoot, onProgress: progressLine(), signal: controller.signal, frontEnd: 'cli' });
    console.log(formatImportReport(manifest));
    console.log(cached ? '(from the cache)' : '(imported now)');
    return EXIT.ok;
  } catch (error) {
    if (error instanceof DatasetError || error instanceof CliError) {
      console.error(`Error: ${printableLines(error.message)}`);
      if (error.hint) console.error(`Hint: ${printableLines(error.hint)}`);
      return error instanceof CliError ? error.exitCode : EXIT.usage;
    }
    if (controller.signal.aborted) {
      console.error('Interrupted; nothing was cached.');
      return EXIT.interrupted;
    }
    throw error;
  } finally {
    process.removeListener('SIGINT', onInterrupt);
  }
}
