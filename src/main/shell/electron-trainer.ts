/**
 * The desktop app's child processes: each trainer is an Electron
 * utilityProcess (a Chromium-managed Node process, so the window's event
 * loop never trains), wrapped as the TrainerConnection the RunManager uses;
 * the backend probe runs the same way.
 */
import { utilityProcess } from 'electron';
import type { BackendReport } from '../../shared/backends';
import type { DoctorReport } from '../../shared/doctor';
import { DOCTOR_ARG } from '../probe-protocol';
import type { TrainerEvent } from '../../shared/trainer-protocol';
import { GenerateWorker, type GenerateReply } from '../generate/worker';
import { diagnoseBackendsWith, probeBackendWith, type ProbeProcess } from '../studio-service/probe';
import { createConnectionListeners, type TrainerConnection, type TrainerLauncher } from '../training/trainer-connection';

/** Launch trainers from the built trainer entry (out/main/trainer.js). */
export function utilityTrainerLauncher(trainerScript: string): TrainerLauncher {
  return () => {
    const child = utilityProcess.fork(trainerScript, [], { serviceName: 'GAN Studio trainer', stdio: 'inherit' });
    const listeners = createConnectionListeners();
    child.on('message', (message: TrainerEvent) => listeners.emitEvent(message));
    child.on('exit', (code) => listeners.emitExit({ code, signal: null }));
    return {
      // postMessage queues until the process has spawned.
      send: (command) => child.postMessage(command),
      onEvent: listeners.onEvent,
      onExit: listeners.onExit,
      kill: () => void child.kill(),
      get pid() {
        return child.pid;
      },
    } satisfies TrainerConnection;
  };
}

function startProbeUtility(probeScript: string, args: string[]): ProbeProcess {
  const child = utilityProcess.fork(probeScript, args, { serviceName: 'GAN Studio backend probe', stdio: 'ignore' });
  return {
    onMessage: (listener) => child.once('message', listener),
    onExit: (listener) => child.once('exit', (code) => listener(code)),
    kill: () => void child.kill(),
  };
}

/** Ask a probe utility process (out/main/probe.js) which backend would train. */
export function probeBackendInUtility(probeScript: string): Promise<BackendReport> {
  return probeBackendWith(() => startProbeUtility(probeScript, []));
}

/** The doctor's report from a probe utility process: what each backend does inside Electron itself. */
export function diagnoseBackendsInUtility(probeScript: string): Promise<DoctorReport> {
  return diagnoseBackendsWith(() => startProbeUtility(probeScript, [DOCTOR_ARG]));
}

/** Generate jobs in a utility process (out/main/generate.js), kept warm between jobs, so the main thread never runs the generator. */
export function utilityGenerateWorker(generateScript: string): GenerateWorker {
  return new GenerateWorker(() => {
    const child = utilityProcess.fork(generateScript, [], { serviceName: 'GAN Studio generate', stdio: 'inherit' });
    return {
      // postMessage queues until the process has spawned.
      send: (command) => child.postMessage(command),
      onMessage: (listener) => child.on('message', (reply: GenerateReply) => listener(reply)),
      onExit: (listener) => child.once('exit', (code) => listener(code)),
      kill: () => void child.kill(),
    };
  });
}
