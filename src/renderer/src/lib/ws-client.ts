/**
 * StudioApi over a WebSocket (the `serve` transport). Calls are numbered
 * request → result messages (src/shared/wire.ts); events fan out to every
 * subscriber. A dropped socket rejects the calls in flight and reconnects
 * with backoff, so a server restart does not need a page reload.
 */
import type { StudioApi, StudioEvent } from '../../../shared/api';
import { STUDIO_CALLS } from '../../../shared/calls';
import type { ClientMessage, ServerMessage } from '../../../shared/wire';
import { StudioError } from './studio-error';

/** Connection state shown in the UI. */
export type ConnectionState = 'connecting' | 'open' | 'closed';

/** The subset of the browser WebSocket this client uses (Node tests pass `ws`). */
export interface SocketLike {
  readyState: number;
  send(data: string): void;
  close(): void;
  onopen: ((event: unknown) => void) | null;
  onclose: ((event: unknown) => void) | null;
  onmessage: ((event: { data: unknown }) => void) | null;
}
export type SocketFactory = (url: string) => SocketLike;

interface Pending {
  resolve: (value: unknown) => void;
  reject: (error: Error) => void;
}

const OPEN = 1;

/** A StudioApi whose connection can be watched and closed. */
export interface WsStudioApi extends StudioApi {
  /** Calls `listener` with the current state now and on every change. */
  onConnection(listener: (state: ConnectionState) => void): () => void;
  close(): void;
}

/** Connect to the studio server at `url` (ws://host/api/ws?token=…). */
export function connectWebSocketApi(
  url: string,
  factory: SocketFactory = (u) => new WebSocket(u) as unknown as SocketLike,
): WsStudioApi {
  const pending = new Map<number, Pending>();
  const queue: string[] = [];
  const listeners = new Set<(event: StudioEvent) => void>();
  const connectionListeners = new Set<(state: ConnectionState) => void>();
  let nextId = 1;
  let socket: SocketLike;
  let closedByUser = false;
  let retryMs = 250;

  let current: ConnectionState = 'connecting';
  const setState = (state: ConnectionState): void => {
    current = state;
    for (const listener of connectionListeners) listener(state);
  };

  const handle = (message: ServerMessage): void => {
    if (message.type === 'event') {
      for (const listener of [...listeners]) listener(message.event);
      return;
    }
    const call = pending.get(message.id);
    if (!call) return;
    pending.delete(message.id);
    if (message.ok) call.resolve(message.value);
    else call.reject(new StudioError(message.error));
  };

  const open = (): void => {
    setState('connecting');
    socket = factory(url);
    socket.onopen = () => {
      retryMs = 250;
      setState('open');
      for (const data of queue.splice(0)) socket.send(data);
    };
    socket.onmessage = (event) => {
      try {
        handle(JSON.parse(String(event.data)) as ServerMessage);
      } catch {
        // A malformed frame is the server's bug; dropping it keeps the UI alive.
      }
    };
    socket.onclose = () => {
      setState('closed');
      for (const call of pending.values()) {
        call.reject(new StudioError({ name: 'ConnectionError', message: 'Lost the connection to the studio server.', hint: 'Check that `gan-studio serve` is still running, then retry.' }));
      }
      pending.clear();
      if (!closedByUser) {
        setTimeout(open, retryMs);
        retryMs = Math.min(retryMs * 2, 5000);
      }
    };
  };
  open();

  const call = (method: string, args: unknown[]): Promise<unknown> =>
    new Promise((resolve, reject) => {
      const id = nextId++;
      // JSON turns a trailing `undefined` into null, which optional schema args refuse.
      while (args.length > 0 && args[args.length - 1] === undefined) args.pop();
      pending.set(id, { resolve, reject });
      const message: ClientMessage = { type: 'call', id, method, args };
      const data = JSON.stringify(message);
      if (socket.readyState === OPEN) socket.send(data);
      else queue.push(data);
    });

  const api = {
    onEvent(listener: (event: StudioEvent) => void) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    onConnection(listener: (state: ConnectionState) => void) {
      connectionListeners.add(listener);
      listener(current);
      return () => connectionListeners.delete(listener);
    },
    close() {
      closedByUser = true;
      socket.close();
    },
  };
  const calls: Record<string, (...args: unknown[]) => Promise<unknown>> = {};
  for (const name of STUDIO_CALLS) calls[name] = (...args: unknown[]) => call(name, args);
  // Each call's result type is the contract's; the server validates the arguments.
  return { ...calls, ...api } as unknown as WsStudioApi;
}
