/**
 * A minimal StudioApi client over a real WebSocket, for the `serve` load
 * test and benchmark: each call resolves with its value and the size of the
 * message that carried it, so both can be checked without timing anything.
 */
import { WebSocket } from 'ws';
import type { ServerMessage } from '../../shared/wire';

export interface CallReply<T> {
  value: T;
  /** Bytes of the result message as sent. */
  bytes: number;
}

export class LoadClient {
  private nextId = 1;
  private readonly pending = new Map<number, { resolve(reply: CallReply<unknown>): void; reject(error: Error): void }>();

  private constructor(private readonly socket: WebSocket) {
    socket.on('message', (data) => {
      const text = String(data);
      const message = JSON.parse(text) as ServerMessage;
      if (message.type !== 'result') return;
      const waiter = this.pending.get(message.id);
      this.pending.delete(message.id);
      if (message.ok) waiter?.resolve({ value: message.value, bytes: Buffer.byteLength(text) });
      else waiter?.reject(new Error(`${message.error.name}: ${message.error.message}`));
    });
    socket.on('close', () => {
      for (const waiter of this.pending.values()) waiter.reject(new Error('socket closed'));
      this.pending.clear();
    });
  }

  /** Open a socket to a `serve` on 127.0.0.1:`port` with its token. */
  static connect(port: number, token: string): Promise<LoadClient> {
    const socket = new WebSocket(`ws://127.0.0.1:${port}/api/ws?token=${token}`, { headers: { Origin: `http://127.0.0.1:${port}` } });
    return new Promise((resolve, reject) => {
      socket.once('open', () => resolve(new LoadClient(socket)));
      socket.once('error', reject);
    });
  }

  call<T>(method: string, ...args: unknown[]): Promise<CallReply<T>> {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (reply: CallReply<unknown>) => void, reject });
      this.socket.send(JSON.stringify({ type: 'call', id, method, args }));
    });
  }

  close(): void {
    this.socket.close();
  }
}
