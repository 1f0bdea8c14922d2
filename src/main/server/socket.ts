/**
 * StudioApi over one WebSocket (the wire format in src/shared/wire.ts):
 * call messages in, result messages out, every studio event pushed. The
 * same validation as IPC runs on every call.
 */
import type { WebSocket } from 'ws';
import type { StudioApi, StudioEvent } from '../../shared/api';
import type { ClientMessage, ServerMessage } from '../../shared/wire';
import { dispatchStudioCall } from '../studio-service/dispatch';
import { InvalidArgumentError, toErrorPayload } from '../studio-service/errors';

/** Serve the API on `socket` until it closes. */
export function serveSocket(socket: WebSocket, service: StudioApi): void {
  const send = (message: ServerMessage): void => {
    if (socket.readyState === socket.OPEN) socket.send(JSON.stringify(message));
  };
  const unsubscribe = service.onEvent((event: StudioEvent) => send({ type: 'event', event }));
  socket.on('close', unsubscribe);
  socket.on('error', unsubscribe);

  socket.on('message', (data, isBinary) => {
    let message: ClientMessage;
    try {
      if (isBinary) throw new Error('binary');
      message = parseClientMessage(JSON.parse(String(data)));
    } catch {
      // Without a valid id there is no call to answer; close so a confused client notices.
      socket.close(1008, 'expected a JSON call message');
      return;
    }
    void dispatchStudioCall(service, message.method, message.args).then(
      (value) => send({ type: 'result', id: message.id, ok: true, value }),
      (error: unknown) => send({ type: 'result', id: message.id, ok: false, error: toErrorPayload(error) }),
    );
  });
}

function parseClientMessage(raw: unknown): ClientMessage {
  const m = raw as Partial<ClientMessage> | null;
  if (!m || m.type !== 'call' || !Number.isSafeInteger(m.id) || typeof m.method !== 'string' || !Array.isArray(m.args)) {
    throw new InvalidArgumentError('expected { type: "call", id, method, args }');
  }
  return m as ClientMessage;
}
