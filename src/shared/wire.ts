/**
 * The wire format StudioApi uses over a WebSocket (serve) — and the shape
 * errors take over Electron IPC. Messages are unions keyed on `type`.
 */
import type { StudioErrorPayload, StudioEvent } from './api';

export type ClientMessage = { type: 'call'; id: number; method: string; args: unknown[] };

export type ServerMessage =
  | { type: 'result'; id: number; ok: true; value: unknown }
  | { type: 'result'; id: number; ok: false; error: StudioErrorPayload }
  | { type: 'event'; event: StudioEvent };
