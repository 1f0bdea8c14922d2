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

/**
 * Connection state shown in the UI. 'refused': the server is up but no longer
 * takes this page's token (it restarted with a new one) — retrying cannot help.
 */
export type ConnectionState = 'connecting' | 'open' | 'closed' | 'refused';

/** Resolves true when the server answers but refuses this page's token; false when it is unreachable or accepts it. */
export type TokenProbe = () => Promise<boolean>;

/** What a page whose token the server refuses should do. */
export const REFUSED_ERROR = {
  name: 'AuthError',
  message: 'The studio server restarted with a new token, so this page can no longer talk to it.',
  hint: 'Open the new URL that `gan-studio serve` printed (it ends in ?token=…). Start serve without --new-token to keep one token across restarts.',
} as const;

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

const LOST_ERROR = {
  name: 'ConnectionError',
  message: 'Lost the connection to the studio server.',
  hint: 'Check that `gan-studio serve` is still running; the page reconnects by itself.',
} as const;

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
  tokenRefused: TokenProbe = () => Promise.resolve(false),
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

  // Calls queued while connecting are pending too; they stay queued for a retry but not past a refusal.
  const rejectAll = (error: typeof LOST_ERROR | typeof REFUSED_ERROR): void => {
    const sent = new Set(queue.map((data) => (JSON.parse(data) as ClientMessage).id));
    for (const [id, call] of pending) {
      if (error === LOST_ERROR && sent.has(id)) continue;
      call.reject(new StudioError(error));
      pending.delete(id);
    }
    if (error === REFUSED_ERROR) queue.length = 0;
  };
  const retryOrGiveUp = (refused: boolean): void => {
    if (closedByUser) return;
    if (refused) {
      closedByUser = true;
      rejectAll(REFUSED_ERROR);
      setState('refused');
      return;
    }
    rejectAll(LOST_ERROR);
    setTimeout(open, retryMs);
    retryMs = Math.min(retryMs * 2, 5000);
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
      if (closedByUser) return rejectAll(LOST_ERROR);
      // A browser hides why an upgrade failed; one plain HTTP request tells "down" from "refused".
      void tokenRefused().then(
        (refused) => retryOrGiveUp(refused),
        () => retryOrGiveUp(false),
      );
      setState('closed');
    };
  };
  open();

  const call = (method: string, args: unknown[]): Promise<unknown> =>
    new Promise((resolve, reject) => {
      if (current === 'refused') return reject(new StudioError(REFUSED_ERROR));
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
