/**
 * The GPU host page: the desktop app's trainer on Chromium's own WebGPU, in a
 * hidden, sandboxed window (docs/backends.md, "Inside Electron"). It waits
 * for the one MessagePort its preload hands over, then behaves like a trainer
 * process on the other end of it: one start command, pause/resume/stop, the
 * same events, and an `exit` at the end. File work goes back over the port.
 */
import './globals';
import { GPU_HOST_PORT_CHANNEL, type HostToPage } from '../../shared/gpu-host-protocol';
import type { TrainerCommand } from '../../shared/trainer-protocol';
import { TrainingControl } from '../../main/training/control';
import { classifyFailure } from '../../main/training/errors';
import { StepCoalescer } from '../../main/training/trainer-channel';
import { runTrainer } from '../../main/training/trainer-run';
import { setHostPid } from './globals';
import { connectHost, sendToHost, settleReply } from './host-call';
import { probeGpuWindow } from './probe';
import { setHostname } from './io/os';

function serve(port: MessagePort): void {
  connectHost(port);
  const control = new TrainingControl();
  const events = new StepCoalescer((event) => sendToHost({ kind: 'event', event }));
  let started = false;
  let ended = false;
  const end = (code: number) => {
    if (ended) return;
    ended = true;
    events.flush();
    sendToHost({ kind: 'exit', code });
  };
  const fail = (error: unknown) => {
    events.push({ type: 'failed', ...classifyFailure(error) });
    end(1);
  };
  window.addEventListener('error', (event) => fail(event.error ?? event.message));
  window.addEventListener('unhandledrejection', (event) => fail(event.reason));

  const command = (message: TrainerCommand) => {
    switch (message.type) {
      case 'start':
        if (started) return; // one session per page, as per process
        started = true;
        void runTrainer(message, (event) => events.push(event), control).then((outcome) => end(outcome.type === 'failed' ? 1 : 0));
        break;
      case 'pause':
        control.pause();
        break;
      case 'resume':
        control.resume();
        break;
      case 'stop':
        if (started) control.stop();
        else end(0);
        break;
    }
  };

  port.onmessage = ({ data }: MessageEvent<HostToPage>) => {
    switch (data.kind) {
      case 'hello':
        setHostPid(data.pid);
        setHostname(data.hostname);
        break;
      case 'reply':
        settleReply(data);
        break;
      case 'command':
        command(data.command);
        break;
      case 'probe':
        void probeGpuWindow().then((finding) => sendToHost({ kind: 'probed', finding }));
        break;
    }
  };
}

// The preload posts the port from this page's own window; nothing else is listened to.
window.addEventListener('message', function takePort(event: MessageEvent) {
  const port = event.ports[0];
  if (event.source !== window || event.origin !== location.origin || event.data !== GPU_HOST_PORT_CHANNEL || !port) return;
  window.removeEventListener('message', takePort);
  serve(port);
});
