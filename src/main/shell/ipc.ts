/**
 * Electron IPC transport for StudioApi: one ipcMain.handle per call. Each
 * handler checks that the sender is the app's own top-level page, validates
 * the arguments with the shared schema, and answers with an IpcResult so
 * errors keep their name and hint. Events go out with webContents.send.
 */
import { ipcMain, type IpcMainEvent, type IpcMainInvokeEvent, type WebContents } from 'electron';
import { callChannel, EVENT_CHANNEL, GRANT_PATH_CHANNEL, type IpcResult } from '../../preload/channels';
import type { StudioApi, StudioEvent } from '../../shared/api';
import { dispatchStudioCall, STUDIO_CALL_NAMES } from '../studio-service/dispatch';
import { AccessDeniedError, toErrorPayload } from '../studio-service/errors';
import type { PathGrants } from '../studio-service/path-grants';

export interface IpcOptions {
  service: StudioApi;
  /** Origins whose top-level page may call (app://studio, plus the dev server in development). */
  allowedOrigins: string[];
  /** Paths the user chose; importDataset is refused for anything else. */
  grants: PathGrants;
  /**
   * Ask the user, outside the renderer (a native dialog), whether a path
   * they typed may be read. Without it, only dropped paths are allowed.
   */
  confirmPath?(path: string): Promise<boolean>;
  /** True for a path the user chose in an earlier session (a cached dataset's source): re-import needs no dialog. */
  chosenBefore?(path: string): Promise<boolean>;
}

type SenderEvent = Pick<IpcMainInvokeEvent, 'senderFrame'>;

/** True when the message comes from the app's own top-level frame. */
export function isTrustedSender(event: SenderEvent, allowedOrigins: string[]): boolean {
  const frame = event.senderFrame;
  if (!frame || frame.parent !== null) return false;
  let origin: string;
  try {
    origin = new URL(frame.url).origin;
  } catch {
    return false;
  }
  // Non-special schemes (app:) have an opaque "null" origin in WHATWG URL; compare scheme + host instead.
  if (origin === 'null') {
    const url = new URL(frame.url);
    origin = `${url.protocol}//${url.host}`;
  }
  return allowedOrigins.includes(origin);
}

/** Register every StudioApi handler; returns a function that removes them. */
export function registerIpcHandlers(options: IpcOptions): () => void {
  const { service, allowedOrigins, grants, confirmPath, chosenBefore } = options;
  // A typed path becomes a chosen one only when the user confirms it in a dialog the page cannot fake.
  const checkPath = async (path: string): Promise<void> => {
    if (await grants.allows(path)) return;
    if ((await chosenBefore?.(path)) || (await confirmPath?.(path))) grants.grant(path);
    await grants.check(path);
  };
  for (const name of STUDIO_CALL_NAMES) {
    ipcMain.handle(callChannel(name), async (event, ...args: unknown[]): Promise<IpcResult> => {
      try {
        if (!isTrustedSender(event, allowedOrigins)) {
          throw new AccessDeniedError(`Refused ${name}: the request did not come from the studio window.`);
        }
        if (name === 'importDataset' && typeof args[0] === 'string') await checkPath(args[0]);
        return { ok: true, value: await dispatchStudioCall(service, name, args) };
      } catch (error) {
        return { ok: false, error: toErrorPayload(error) };
      }
    });
  }
  const onGrant = (event: IpcMainEvent, path: unknown): void => {
    if (isTrustedSender(event, allowedOrigins) && typeof path === 'string' && path.length <= 4096) grants.grant(path);
  };
  ipcMain.on(GRANT_PATH_CHANNEL, onGrant);
  return () => {
    for (const name of STUDIO_CALL_NAMES) ipcMain.removeHandler(callChannel(name));
    ipcMain.removeListener(GRANT_PATH_CHANNEL, onGrant);
  };
}

/** Push every studio event to `contents` until it is destroyed; returns an unsubscribe. */
export function forwardEvents(service: StudioApi, contents: WebContents): () => void {
  const unsubscribe = service.onEvent((event: StudioEvent) => {
    if (!contents.isDestroyed()) contents.send(EVENT_CHANNEL, event);
  });
  contents.once('destroyed', unsubscribe);
  return unsubscribe;
}
