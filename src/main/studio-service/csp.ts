/**
 * The studio's Content-Security-Policy, one definition for the Electron
 * window (app://) and the `serve` pages: only our own scripts, images from
 * ourselves and the run-file origin, no remote anything, no framing.
 */
export interface CspOptions {
  /** Extra script/connect origin (electron-vite's dev server). */
  devOrigin?: string;
  /** Where images of run files come from besides 'self' (studio: under Electron). */
  fileSources?: string[];
  /** Extra connect-src entries (the serve page's own ws:// origin). */
  connect?: string[];
}

export function contentSecurityPolicy(options: CspOptions = {}): string {
  const self = options.devOrigin ? `'self' ${options.devOrigin}` : `'self'`;
  const connect = [self, ...(options.devOrigin ? [options.devOrigin.replace(/^http/, 'ws')] : []), ...(options.connect ?? [])].join(' ');
  const files = (options.fileSources ?? []).map((s) => ` ${s}`).join('');
  return [
    `default-src 'none'`,
    `script-src ${self}`,
    // No inline styles: Svelte's style: directives and ECharts set element.style through the CSSOM,
    // which CSP allows, and the chart tooltip is built as DOM. Only Vite's dev server injects <style> elements.
    `style-src ${self}${options.devOrigin ? ` 'unsafe-inline'` : ''}`,
    `img-src ${self}${files} data: blob:`,
    `media-src ${self}${files}`,
    `font-src ${self} data:`,
    `connect-src ${connect}`,
    `worker-src ${self} blob:`,
    `object-src 'none'`,
    `base-uri 'none'`,
    `form-action 'none'`,
    `frame-src 'none'`,
    `frame-ancestors 'none'`,
  ].join('; ');
}

/**
 * The CSP every run file is served with (studio://run/… and /files/run/…).
 * An evidence pack's index.html is opened as a page, and an SVG opened by
 * itself is a document too: neither may run scripts (default-src 'none' and
 * no script-src), submit forms or be framed; they only show their own folder's
 * images and videos with their inline styles.
 */
export function runFileContentSecurityPolicy(): string {
  return [
    `default-src 'none'`,
    `img-src 'self'`,
    `media-src 'self'`,
    `style-src 'unsafe-inline'`,
    `base-uri 'none'`,
    `form-action 'none'`,
    `frame-ancestors 'none'`,
  ].join('; ');
}
