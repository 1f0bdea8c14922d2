/**
 * Runs one trainer child process for the CLI and turns its events into a
 * progress bar. Ctrl-C asks the trainer to stop (it checkpoints); a second
 * Ctrl-C kills it — the last complete checkpoint still resumes.
 */
import type { BackendName } from '../shared/backends';
import { etaSeconds, typicalStepMs } from '../shared/eta';
import type { TrainingConfig } from '../shared/config';
import { plural } from '../shared/plural';
import { printable, printableLines } from '../shared/printable';
import type { TrainerEvent } from '../shared/trainer-protocol';
import { updateRunRecord } from '../main/runs';
import { formatScoresLine } from '../main/scores/format';
import { watchParent } from '../main/training/trainer-channel';
import { spawnTrainerProcess } from '../main/training/trainer-process';
import { EXIT } from './exit-codes';
import { nextCommands } from './next-commands';
import { formatDuration, type ProgressLine } from './progress-bar';

export interface SuperviseOptions {
  runDir: string;
  datasetDir: string;
  /** Only for a new run; a resumed run reads its config from run.json. */
  config?: TrainingConfig;
  resume: boolean;
  /** With `resume`: the run's new length in epochs (written by the trainer once the resume is accepted). */
  epochs?: number;
  /** Images per step, for the images/s figure. */
  batchSize: number;
  backend?: BackendName;
  progress: ProgressLine;
}

export function superviseTraining(options: SuperviseOptions): Promise<number> {
  const { progress } = options;
  const trainer = spawnTrainerProcess();
  let totalSteps = 0;
  let stepsPerEpoch = 0;
  let totalEpochs = 0;
  /** Times of the newest steps (ms), for the ETA and throughput. */
  let stepMs: number[] = [];
  let outcome: number | undefined;
  let interrupts = 0;

  const onSigint = (): void => {
    interrupts += 1;
    if (interrupts === 1) {
      progress.done('stopping after this step and saving a checkpoint… (Ctrl-C again to kill)');
      trainer.send({ type: 'stop' });
    } else {
      trainer.kill();
    }
  };
  process.on('SIGINT', onSigint);
  // Started by npx (npm exec), whose death leaves this process orphaned but still training:
  // once that launcher is gone, stop as Ctrl-C would. (A nohup'd npx lives on, so nohup still works.)
  const launcherWatch =
    process.env.npm_command === 'exec'
      ? watchParent(() => {
          progress.done('the npx process that started this training is gone: stopping and saving a checkpoint…');
          trainer.send({ type: 'stop' });
        })
      : undefined;

  const handle = (event: TrainerEvent): void => {
    switch (event.type) {
      case 'started': {
        const { backend } = event;
        totalEpochs = event.totalEpochs;
        stepsPerEpoch = event.stepsPerEpoch;
        totalSteps = totalEpochs * stepsPerEpoch;
        stepMs = [];
        console.error(`backend: ${backend.name} — ${backend.device}`);
        for (const skipped of backend.skipped) console.error(`  skipped ${skipped.name}: ${skipped.reason}`);
        for (const note of event.notes ?? []) console.error(`note: ${note}`);
        if (event.startStep > 0) console.error(`resumed at epoch ${event.startEpoch}, step ${event.startStep}`);
        break;
      }
      case 'steps': {
        const last = event.steps.at(-1);
        if (!last) break;
        stepMs = [...stepMs, ...event.steps.map((m) => m.ms)].slice(-50);
        // The median recent step (shared/eta.ts): the warm-up step and a grid's wait do not swing it.
        const eta = etaSeconds(stepMs, totalSteps - last.step);
        const typical = typicalStepMs(stepMs);
        const pace = typical === undefined ? 'estimating pace…' : `${((options.batchSize * 1000) / typical).toFixed(1)} img/s ETA ${formatDuration(eta!)}`;
        const stepInEpoch = last.step - (last.epoch - 1) * stepsPerEpoch;
        progress.update(
          totalSteps ? last.step / totalSteps : 0,
          `epoch ${last.epoch}/${totalEpochs} step ${stepInEpoch}/${stepsPerEpoch} ` +
            `g ${last.gen_loss.toFixed(3)} d ${last.disc_loss.toFixed(3)} fake_acc ${last.fake_accuracy.toFixed(2)} ` +
            pace,
        );
        break;
      }
      case 'epoch': {
        const m = event.metrics;
        progress.done(
          `epoch ${m.epoch}/${totalEpochs}: gen_loss ${m.gen_loss.toFixed(4)} disc_loss ${m.disc_loss.toFixed(4)} ` +
            `real_acc ${m.real_accuracy.toFixed(3)} fake_acc ${m.fake_accuracy.toFixed(3)} ` +
            `${m.images_per_second.toFixed(1)} img/s (${formatDuration(m.seconds)})`,
        );
        break;
      }
      case 'scores':
        progress.done(formatScoresLine(event.record.epoch, event.record.sampleSize, event.record.scores));
        break;
      case 'classifier-progress':
        progress.update(event.done / event.total, `training the score classifier (once per dataset): batch ${event.done}/${event.total}`);
        break;
      case 'checkpoint':
        break;
      case 'sample':
        break;
      case 'paused':
      case 'resumed':
        break;
      case 'finished':
        outcome = event.reason === 'completed' ? EXIT.ok : EXIT.interrupted;
        progress.clear();
        console.error(describeFinish(event, stepsPerEpoch, options.runDir));
        break;
      case 'failed':
        outcome = event.kind === 'bad-input' ? EXIT.usage : EXIT.failed;
        progress.clear();
        console.error(`training failed (${event.kind}): ${printableLines(event.error.message)}`);
        if (process.env.DEBUG && event.error.stack) console.error(event.error.stack);
        break;
    }
  };

  return new Promise((resolvePromise) => {
    trainer.onEvent(handle);
    trainer.onExit(async ({ code, signal }) => {
      process.off('SIGINT', onSigint);
      launcherWatch?.cancel();
      if (outcome === undefined) {
        const how = signal ? `signal ${signal}` : `exit code ${code}`;
        progress.clear();
        await updateRunRecord(options.runDir, {
          status: 'crashed',
          failure: { kind: 'crashed', message: `The trainer process ended unexpectedly (${how}).` },
        }).catch(() => undefined); // the run folder itself may be what failed
        console.error(
          `The trainer process ended unexpectedly (${how}). ` +
            `Nothing complete is lost: resume with gan-studio train --resume ${printable(options.runDir)}`,
        );
        outcome = interrupts > 0 ? EXIT.interrupted : EXIT.failed;
      }
      resolvePromise(outcome);
    });
    trainer.send({
      type: 'start',
      runDir: options.runDir,
      datasetDir: options.datasetDir,
      config: options.config,
      resume: options.resume,
      ...(options.epochs !== undefined ? { epochs: options.epochs } : {}),
      backend: options.backend,
    });
  });
}

/**
 * The last line of a session. `event.epoch` counts *completed* epochs, so a stop mid-epoch
 * says which epoch it was in ("stopped at epoch 0" read as if nothing had been trained).
 */
export function describeFinish(event: Extract<TrainerEvent, { type: 'finished' }>, stepsPerEpoch: number, runDir: string): string {
  if (event.reason === 'completed') return `finished: ${plural(event.epoch, 'epoch')}, ${plural(event.step, 'step')} — ${runDir}\n${nextCommands(runDir)}`;
  const inEpoch = stepsPerEpoch > 0 ? event.step - event.epoch * stepsPerEpoch : 0;
  const where = inEpoch > 0 ? `in epoch ${event.epoch + 1} (step ${inEpoch}/${stepsPerEpoch})` : `after epoch ${event.epoch}`;
  return `stopped ${where}, step ${event.step} overall; checkpoint saved. Resume with: gan-studio train --resume ${runDir}`;
}
