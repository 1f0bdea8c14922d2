/**
 * IPC channel names shared by the preload and src/main/shell/ipc.ts. Kept in a
 * dependency-free file so the sandboxed preload bundle stays tiny.
 */
import type { StudioErrorPayload } from '../shared/api';

/** Channel of StudioApi call `name`. */
export const callChannel = (name: string): string => `studio:call:${name}`;
/** Channel studio events are pushed on. */
export const EVENT_CHANNEL = 'studio:event';
/** Channel on which the preload reports a path the user dropped (webUtils.getPathForFile). */
export const GRANT_PATH_CHANNEL = 'studio:grant-path';

/** What every call handler answers: errors travel as data so name and hint survive IPC. */
export type IpcResult = { ok: true; value: unknown } | { ok: false; error: StudioErrorPayload };
