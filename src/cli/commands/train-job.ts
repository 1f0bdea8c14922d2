/**
 * `gan-studio train-job RUN_DIR`: what a run's Slurm job script runs on the
 * node. It trains the run folder in this process — from its newest checkpoint
 * when it has one (a requeued or resubmitted job), else from the start — and
 * prints one line per epoch to the job's log. SIGTERM (forwarded by the job
 * script at the time limit; sent by Slurm on requeue, preemption or scancel)
 * stops it after the current step with a checkpoint saved. One process, no
 * child: Slurm's signals reach the trainer itself.
 */
import { resolve } from 'node:path';
import { parseCliArgs } from '../parse-args';
import { printableLines } from '../../shared/printable';
import type { TrainerEvent } from '../../shared/trainer-protocol';
import { readRunRecord } from '../../main/runs';
import { removeEndedJobLock } from '../../main/runs/run-lock';
import { formatScoresLine } from '../../main/scores/format';
import { STOPPED_EXIT_CODE } from '../../main/slurm/job-script';
import { TrainingControl } from '../../main/training/control';
import { runTrainer } from '../../main/training/trainer-run';
import { EXIT } from '../exit-codes';
import { describeFinish } from '../supervise-training';

export const help = `Usage: gan-studio train-job RUN_DIR

Trains a run folder inside a Slurm job; the run's job script (RUN_DIR/slurm/job.sh)
runs it. Starts the run, or resumes it from its newest checkpoint. SIGTERM stops it
after the current step with a checkpoint saved.

Exit codes: 0 completed, 1 training failed, 2 bad input (e.g. the dataset is not on
this node), ${STOPPED_EXIT_CODE} stopped on a signal with its checkpoint saved.`;

export async function run(argv: string[]): Promise<number> {
  const { positionals } = parseCliArgs({ args: argv, options: {}, strict: true, allowPositionals: true });
  if (positionals.length !== 1) throw Object.assign(new Error('train-job takes one run folder.'), { hint: 'gan-studio train-job RUN_DIR' });
  const runDir = resolve(positionals[0]!);
  const record = await readRunRecord(runDir);
  // An earlier attempt of this job (requeued, or killed on its node) cannot have released its lock.
  if (await removeEndedJobLock(runDir)) console.log('gan-studio: took over the lock an earlier attempt of this job left');

  const control = new TrainingControl();
  const stop = (signal: string) => {
    // Slurm signals every process of the job and the job script forwards it too: say it once.
    if (!control.stopRequested) console.log(`gan-studio: ${signal} received: stopping after this step and saving a checkpoint`);
    control.stop();
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));

  let stepsPerEpoch = 0;
  // resume: the newest intact checkpoint when there is one; none yet means a fresh start.
  const outcome = await runTrainer(
    { type: 'start', runDir, datasetDir: record.dataset.dir, resume: true, ...(record.config.backend ? { backend: record.config.backend } : {}) },
    (event) => {
      if (event.type === 'started') stepsPerEpoch = event.stepsPerEpoch;
      const line = describeEvent(event);
      if (line) console.log(line);
    },
    control,
  );
  if (outcome.type === 'failed') {
    console.error(`training failed (${outcome.kind}): ${printableLines(outcome.error.message)}`);
    return outcome.kind === 'bad-input' ? EXIT.usage : EXIT.failed;
  }
  console.log(describeFinish(outcome, stepsPerEpoch, runDir));
  return outcome.reason === 'completed' ? EXIT.ok : STOPPED_EXIT_CODE;
}

/** The job log's line for a trainer event (none for steps and grids: the run folder has them). */
function describeEvent(event: TrainerEvent): string | undefined {
  switch (event.type) {
    case 'started':
      return [
        `backend: ${event.backend.name} — ${event.backend.device}`,
        event.startStep > 0 ? `resumed at epoch ${event.startEpoch}, step ${event.startStep}` : 'training from the start',
        ...(event.notes ?? []).map((note) => `note: ${note}`),
      ].join('\n');
    case 'epoch': {
      const m = event.metrics;
      return `epoch ${m.epoch}: gen_loss ${m.gen_loss.toFixed(4)} disc_loss ${m.disc_loss.toFixed(4)} fake_acc ${m.fake_accuracy.toFixed(3)} ${m.images_per_second.toFixed(1)} img/s`;
    }
    case 'scores':
      return formatScoresLine(event.record.epoch, event.record.sampleSize, event.record.scores);
    default:
      return undefined;
  }
}
