/**
 * The numbers on the evidence page, and the sentences that go with them.
 * Wording stays honest: the distance of fake accuracy from 0.5 says how
 * balanced the two networks ended, not how good the images are.
 */
import type { EpochMetrics } from '../../shared/metrics';
import { plural } from '../../shared/plural';

/** How many final epochs the balance number averages over (one epoch alone is noisy). */
export const TAIL_EPOCHS = 3;

/** Final-epoch numbers of one run. */
export interface RunNumbers {
  name: string;
  epochs: number;
  final?: { epoch: number; gen_loss: number; disc_loss: number; real_accuracy: number; fake_accuracy: number };
  /** Mean |fake_accuracy − 0.5| over the last TAIL_EPOCHS epochs (fewer when the run is shorter). */
  fakeAccuracyDistance?: number;
  tailEpochs: number;
}

/** Summarise a run's epoch records. */
export function runNumbers(name: string, epochs: EpochMetrics[]): RunNumbers {
  const last = epochs.at(-1);
  if (!last) return { name, epochs: 0, tailEpochs: 0 };
  const tail = epochs.slice(-TAIL_EPOCHS);
  const distance = tail.reduce((sum, e) => sum + Math.abs(e.fake_accuracy - 0.5), 0) / tail.length;
  return {
    name,
    epochs: last.epoch,
    final: {
      epoch: last.epoch,
      gen_loss: last.gen_loss,
      disc_loss: last.disc_loss,
      real_accuracy: last.real_accuracy,
      fake_accuracy: last.fake_accuracy,
    },
    fakeAccuracyDistance: distance,
    tailEpochs: tail.length,
  };
}

const f3 = (n: number): string => n.toFixed(3);

/** What this run's own numbers say. */
export function describeRun(run: RunNumbers): string {
  if (!run.final || run.fakeAccuracyDistance === undefined) return `${run.name} has no completed epoch yet, so there are no numbers to report.`;
  const fake = run.final.fake_accuracy;
  const where =
    fake > 0.6
      ? 'the discriminator still spots most fakes'
      : fake < 0.4
        ? 'the discriminator labels most fakes as real'
        : 'the discriminator is close to chance on fakes';
  return (
    `After epoch ${run.final.epoch}, the discriminator's fake accuracy is ${f3(run.final.fake_accuracy)} (${where}); ` +
    `averaged over the last ${plural(run.tailEpochs, 'epoch')} it is ${f3(run.fakeAccuracyDistance)} away from 0.5. ` +
    `Final losses: gen_loss ${f3(run.final.gen_loss)}, disc_loss ${f3(run.final.disc_loss)}.`
  );
}

/** What the numbers say about this run against a baseline — including when they do not favour it. */
export function describeComparison(run: RunNumbers, baseline: RunNumbers): string[] {
  if (run.fakeAccuracyDistance === undefined || baseline.fakeAccuracyDistance === undefined) {
    return ['One of the runs has no completed epoch, so the numbers cannot be compared.'];
  }
  const lines: string[] = [];
  const diff = baseline.fakeAccuracyDistance - run.fakeAccuracyDistance;
  if (Math.abs(diff) < 0.01) {
    lines.push(
      `By this number the runs are about even: fake accuracy ends ${f3(run.fakeAccuracyDistance)} from 0.5 for this run ` +
        `and ${f3(baseline.fakeAccuracyDistance)} for the baseline.`,
    );
  } else if (diff > 0) {
    lines.push(
      `By this number this run ended closer to the 0.5 balance point than the baseline: ` +
        `${f3(run.fakeAccuracyDistance)} vs ${f3(baseline.fakeAccuracyDistance)} from 0.5 (mean of the last epochs).`,
    );
  } else {
    lines.push(
      `By this number this run did not end closer to 0.5 than the baseline: ` +
        `${f3(run.fakeAccuracyDistance)} vs ${f3(baseline.fakeAccuracyDistance)} from 0.5 (mean of the last epochs).`,
    );
  }
  if (run.epochs !== baseline.epochs) {
    lines.push(`The runs trained for different numbers of epochs (${run.epochs} vs ${baseline.epochs} for the baseline); compare with care.`);
  }
  lines.push(
    'Fake accuracy near 0.5 means the two networks ended balanced; it is not a measure of image quality. ' +
      'Judge the grids from the same latent vectors above as well.',
  );
  return lines;
}
