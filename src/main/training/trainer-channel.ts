/**
 * The trainer's side of its message channel, one code path for both hosts:
 * an Electron utilityProcess (process.parentPort: 'message' events carry
 * { data }, replies via postMessage) and a Node child forked with IPC
 * (process.on('message') / process.send). Plus the step coalescer that keeps
 * step events to about ten messages a second.
 */
import type { TrainerCommand, TrainerEvent } from '../../shared/trainer-protocol';

/** The trainer's channel by default; the generate process sends and receives its own messages. */
export interface ParentChannel<Out = TrainerEvent, In = TrainerCommand> {
  send(event: Out): void;
  onMessage(listener: (command: In) => void): void;
  /** Called once when the parent goes away (its channel closes, or this process is re-parented). */
  onDisconnect(listener: () => void): void;
  /** Resolves once every sent event has been handed to the parent. */
  drain(): Promise<void>;
}

/** Electron's utilityProcess parent port (not in @types/node). */
interface ParentPort {
  on(event: 'message', listener: (message: { data: unknown }) => void): void;
  on(event: 'close', listener: () => void): void;
  postMessage(message: unknown): void;
}

/**
 * Call `onGone` once when the process that started this one is gone: a parent
 * killed outright may close no channel on some hosts, but the orphan is
 * always re-parented, so a changed ppid tells too. `gone()` reports it from a
 * channel event; `cancel()` ends the watch.
 */
export function watchParent(onGone: () => void, pollMs = 500): { gone(): void; cancel(): void } {
  const parent = process.ppid;
  let done = false;
  const cancel = () => {
    done = true;
    clearInterval(timer);
  };
  const gone = () => {
    if (done) return;
    cancel();
    onGone();
  };
  const timer = setInterval(() => process.ppid !== parent && gone(), pollMs);
  timer.unref(); // the watch alone must not keep the process alive
  return { gone, cancel };
}

/** Open the channel to whichever parent started this process. */
export function openParentChannel<Out = TrainerEvent, In = TrainerCommand>(): ParentChannel<Out, In> {
  const parentPort = (process as unknown as { parentPort?: ParentPort }).parentPort;
  if (parentPort) {
    return {
      send: (event) => parentPort.postMessage(event),
      onMessage: (listener) => parentPort.on('message', (message) => listener(message.data as In)),
      onDisconnect: (listener) => parentPort.on('close', watchParent(listener).gone),
      // postMessage queues synchronously; one turn of the loop lets it go out.
      drain: () => new Promise((resolve) => setImmediate(resolve)),
    };
  }
  if (!process.send) {
    throw new Error('This process must be started as a child process with an IPC channel (child_process.fork or utilityProcess.fork).');
  }
  let pending = 0;
  let drained: (() => void) | undefined;
  return {
    send(event) {
      if (!process.connected) return; // the parent is gone; run.json still records the outcome
      pending += 1;
      process.send!(event, undefined, {}, () => {
        pending -= 1;
        if (pending === 0) drained?.();
      });
    },
    onMessage: (listener) => process.on('message', (message) => listener(message as In)),
    onDisconnect: (listener) => process.on('disconnect', watchParent(listener).gone),
    drain: () => (pending === 0 || !process.connected ? Promise.resolve() : new Promise((resolve) => (drained = resolve))),
  };
}

/**
 * Forwards events in order but batches step events: at most one `steps`
 * message per interval, flushed early whenever another event goes out.
 */
export class StepCoalescer {
  private buffered: Extract<TrainerEvent, { type: 'steps' }>['steps'] = [];
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly send: (event: TrainerEvent) => void,
    private readonly intervalMs = 100,
  ) {}

  push(event: TrainerEvent): void {
    if (event.type === 'steps') {
      this.buffered.push(...event.steps);
      this.timer ??= setTimeout(() => this.flush(), this.intervalMs);
      return;
    }
    this.flush();
    this.send(event);
  }

  /** Send buffered steps now. */
  flush(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    if (this.buffered.length === 0) return;
    const steps = this.buffered;
    this.buffered = [];
    this.send({ type: 'steps', steps });
  }
}
