/**
 * Backend probe process entry: select the backend exactly as a trainer
 * would, report it to the parent, exit — or, with `--doctor`, run the whole
 * doctor diagnosis (every backend forced, WebGPU adapters, CUDA libraries,
 * a few timed training steps on auto's pick).
 * It runs in its own process so the studio's main process never loads
 * native TensorFlow or opens a GPU context (which would reserve device
 * memory the trainers need).
 */
import type { BackendName, BackendReport } from '../shared/backends';
import type { DoctorReport } from '../shared/doctor';
import { selectBackend } from './backend';
import { diagnoseBackends } from './backend/doctor';
import { systemProbeInputs } from './backend/doctor-probe';
import { measureTrainingSpeed } from './training/training-speed';
import { DOCTOR_ARG, FORCED_ARG_PREFIX, type ProbeMessage } from './probe-protocol';

interface ParentPort {
  postMessage(message: unknown): void;
}

function send(message: ProbeMessage<BackendReport | DoctorReport>): Promise<void> {
  const parentPort = (process as unknown as { parentPort?: ParentPort }).parentPort;
  if (parentPort) {
    parentPort.postMessage(message);
    // postMessage queues; one turn of the loop lets it go out.
    return new Promise((resolve) => setImmediate(resolve));
  }
  return new Promise((resolve) => (process.send ? process.send(message, undefined, {}, () => resolve()) : resolve()));
}

process.env.TF_FORCE_GPU_ALLOW_GROWTH ??= 'true';
const forced = process.argv.find((arg) => arg.startsWith(FORCED_ARG_PREFIX))?.slice(FORCED_ARG_PREFIX.length) as BackendName | undefined;
const work: Promise<BackendReport | DoctorReport> = process.argv.includes(DOCTOR_ARG)
  ? diagnoseBackends(systemProbeInputs(), () => measureTrainingSpeed())
  : selectBackend(forced ? { forced } : {});
void work
  .then(
    (report) => send({ ok: true, report }),
    (error: unknown) => send({ ok: false, message: error instanceof Error ? error.message : String(error) }),
  )
  .finally(() => process.exit(0));
