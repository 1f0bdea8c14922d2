/**
 * The generate process entry (Node child or Electron utilityProcess): take
 * one job, pick the backend as a trainer would, generate, reply, exit.
 */
import { BACKEND_NAMES, type BackendName } from '../../shared/backends';
import { selectBackend } from '../training/backend';
import { openParentChannel } from '../training/trainer-channel';
import { runGenerateJob, type GenerateJob } from './generate';
import type { GenerateReply } from './worker';

const channel = openParentChannel<GenerateReply, GenerateJob>();
const forced = process.env.GAN_STUDIO_BACKEND;
let started = false;

channel.onMessage((job) => {
  if (started) return; // one job per process
  started = true;
  void (async () => {
    try {
      await selectBackend({ forced: (BACKEND_NAMES as readonly string[]).includes(forced ?? '') ? (forced as BackendName) : undefined });
      channel.send({ ok: true, outcome: await runGenerateJob(job) });
    } catch (error) {
      const { name, message, hint } = error as Error & { hint?: string };
      channel.send({ ok: false, error: { name: name ?? 'Error', message: message ?? String(error), ...(hint ? { hint } : {}) } });
    }
    await channel.drain();
    process.exit(0);
  })();
});
