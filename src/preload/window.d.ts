// Types window.studio for the renderer without bundling preload code (import type only).
// Named window.d.ts, not index.d.ts: next to index.ts TypeScript would silently skip an index.d.ts.
import type { PreloadStudioApi } from './index';

declare global {
  interface Window {
    /** The studio API exposed by the preload; absent in a browser (serve), where the WebSocket client is used. */
    studio?: PreloadStudioApi;
  }
}
