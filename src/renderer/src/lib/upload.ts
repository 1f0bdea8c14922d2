/**
 * Browser-only: send a dropped or chosen file to the server, which stores it
 * in its uploads folder and answers with the server-side path to import.
 * XMLHttpRequest (not fetch) because only it reports upload progress.
 */
import { serverToken } from './api';
import { StudioError } from './studio-error';

/** Upload `file`; resolves to the path on the server. */
export function uploadFile(file: File, onProgress: (done: number, total: number) => void): Promise<string> {
  return new Promise((resolve, reject) => {
    const request = new XMLHttpRequest();
    const query = new URLSearchParams({ token: serverToken, name: file.name });
    request.open('POST', `/api/upload?${query.toString()}`);
    request.setRequestHeader('Content-Type', 'application/octet-stream');
    request.upload.onprogress = (event) => onProgress(event.loaded, event.total || file.size);
    request.onerror = () =>
      reject(new StudioError({ name: 'UploadError', message: `Could not upload ${file.name}: the connection failed.` }));
    request.onload = () => {
      let body: { path?: string; error?: { name?: string; message?: string; hint?: string } } = {};
      try {
        body = JSON.parse(request.responseText) as typeof body;
      } catch {
        // A non-JSON answer falls through to the status check below.
      }
      if (request.status >= 200 && request.status < 300 && typeof body.path === 'string') {
        resolve(body.path);
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
