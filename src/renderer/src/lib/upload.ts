/**
 * Browser-only: send a dropped or chosen file to the server, which stores it
 * in its uploads folder and answers with the server-side path to import.
 * XMLHttpRequest (not fetch) because only it reports upload progress.
 */
import { serverToken } from './api';
import { StudioError } from './studio-error';

/** Where an upload landed on the server: the file, and its folder (what a batch of images imports). */
export interface Uploaded {
  path: string;
  folder: string;
}

/** Upload `file` (into the shared folder `batch` when given); resolves to where it landed on the server. */
export function uploadFile(file: File, onProgress: (done: number, total: number) => void, batch?: string): Promise<Uploaded> {
  return new Promise((resolve, reject) => {
    const request = new XMLHttpRequest();
    const query = new URLSearchParams({ token: serverToken, name: file.name, ...(batch ? { batch } : {}) });
    request.open('POST', `/api/upload?${query.toString()}`);
    request.setRequestHeader('Content-Type', 'application/octet-stream');
    request.upload.onprogress = (event) => onProgress(event.loaded, event.total || file.size);
    request.onerror = () =>
      reject(new StudioError({ name: 'UploadError', message: `Could not upload ${file.name}: the connection failed.` }));
    request.onload = () => {
      let body: { path?: string; folder?: string; error?: { name?: string; message?: string; hint?: string } } = {};
      try {
        body = JSON.parse(request.responseText) as typeof body;
      } catch {
        // A non-JSON answer falls through to the status check below.
      }
      if (request.status >= 200 && request.status < 300 && typeof body.path === 'string' && typeof body.folder === 'string') {
        resolve({ path: body.path, folder: body.folder });
        return;
      }
      reject(
        new StudioError({
          name: body.error?.name ?? 'UploadError',
          message: body.error?.message ?? `Upload of ${file.name} failed: the server answered ${request.status}.`,
          hint: body.error?.hint,
        }),
      );
    };
    request.send(file);
  });
}
