/**
 * The page's side of the GPU host port: ask the main process for file work
 * (`call` waits for the answer, `post` does not — the host performs requests
 * in the order they arrive, so posted appends stay ordered), and send trainer
 * events. An error from the host keeps its Node error code (ENOENT, ENOSPC…),
 * which the trainer's modules test for.
 */
import type { GpuHostOp, HostToPage, PageToHost } from '../../shared/gpu-host-protocol';

type Reply = Extract<HostToPage, { kind: 'reply' }>;

let port: MessagePort | undefined;
let nextId = 1;
const pending = new Map<number, { resolve(value: unknown): void; reject(error: Error): void }>();

/** The error a host-side fs call failed with, as Node would have thrown it. */
export class HostError extends Error {
  constructor(
    message: string,
    readonly code: string | undefined,
  ) {
    super(message);
  }
}

/** Use `p` for every call from now on. */
export function connectHost(p: MessagePort): void {
  port = p;
}

/** Hand a reply from the host to the call waiting for it. */
export function settleReply(reply: Reply): void {
  const waiting = pending.get(reply.id);
  if (!waiting) return;
  pending.delete(reply.id);
  if (reply.ok) waiting.resolve(reply.value);
  else waiting.reject(new HostError(reply.error.message, reply.error.code));
}

export function sendToHost(message: PageToHost): void {
  if (!port) throw new Error('The GPU host page has no connection to the app.');
  port.postMessage(message);
}

export function call<T>(op: GpuHostOp, ...args: unknown[]): Promise<T> {
  const id = nextId++;
  return new Promise<T>((resolve, reject) => {
    pending.set(id, { resolve: resolve as (value: unknown) => void, reject });
    sendToHost({ kind: 'call', id, op, args });
  });
}

export function post(op: GpuHostOp, ...args: unknown[]): void {
  sendToHost({ kind: 'post', op, args });
}
