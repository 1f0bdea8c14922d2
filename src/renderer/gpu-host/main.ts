/**
 * The GPU host page: the desktop app's trainer on Chromium's own WebGPU, in a
 * hidden, sandboxed window (docs/backends.md, "Inside Electron"). It waits
 * for the one MessagePort its preload hands over, then behaves like a trainer
 * process on the other end of it: one start command, pause/resume/stop, the
 * same events, and an `exit` at the end. File work goes back over the port.
 */
import './globals';
import { GPU_HOST_PORT_CHANNEL, type HostToPage } from '../../shared/gpu-host-protocol';
import { classifyFailure } from '../../main/training/errors';
import { StepCoalescer } from '../../main/training/trainer-channel';
import { trainerSession } from '../../main/training/trainer-session';
import { setHostPid } from './globals';
import { connectHost, sendToHost, settleReply } from './host-call';
import { probeGpuWindow } from './probe';
import { setHostname } from './io/os';

function serve(port: MessagePort): void {
  connectHost(port);
  const events = new StepCoalescer((event) => sendToHost({ kind: 'event', event }));
  let ended = false;
  const end = (code: number) => {
    if (ended) return;
    ended = true;
    events.flush();
    sendToHost({ kind: 'exit', code });
  };
  const command = trainerSession((event) => events.push(event), end);
  const fail = (error: unknown) => {
    events.push({ type: 'failed', ...classifyFailure(error) });
    end(1);
  };
  window.addEventListener('error', (event) => fail(event.error ?? event.message));
  window.addEventListener('unhandledrejection', (event) => fail(event.reason));

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
