/**
 * The generate process entry (Node child or Electron utilityProcess): pick
 * the backend as a trainer would (once), then generate each job it is sent,
 * one at a time, replying to each. It lives until its parent closes it (or,
 * as a Node child, disconnects).
 */
import { BACKEND_NAMES, type BackendName } from '../../shared/backends';
import { selectBackend } from '../backend';
import { openParentChannel } from '../training/trainer-channel';
import { runGenerateJob } from './generate';
import type { GenerateCommand, GenerateReply } from './worker';

const channel = openParentChannel<GenerateReply, GenerateCommand>();
const forced = process.env.GAN_STUDIO_BACKEND;
const backend = selectBackend({ forced: (BACKEND_NAMES as readonly string[]).includes(forced ?? '') ? (forced as BackendName) : undefined });
let queue: Promise<void> = Promise.resolve();

channel.onDisconnect(() => process.exit(0));
channel.onMessage(({ id, job }) => {
  queue = queue.then(async () => {
    try {
      await backend;
      channel.send({ id, ok: true, outcome: await runGenerateJob(job) });
    } catch (error) {
      const { name, message, hint } = error as Error & { hint?: string };
      channel.send({ id, ok: false, error: { name: name ?? 'Error', message: message ?? String(error), ...(hint ? { hint } : {}) } });
    }
  });
});
