/**
 * Hash routes, so a reload (or the server's ready URL with ?token=…) keeps
 * the view: #/datasets, #/new, #/runs, #/runs/<id>, #/compare, #/generate[/<id>], #/backends.
 */
export type Route =
  | { view: 'datasets' }
  | { view: 'new' }
  | { view: 'runs' }
  | { view: 'run'; runId: string }
  | { view: 'compare' }
  | { view: 'generate'; runId?: string }
  | { view: 'backends' };

function parse(hash: string): Route {
  const parts = hash.replace(/^#\/?/, '').split('/').filter(Boolean).map(decodeURIComponent);
  if (parts[0] === 'runs' && parts[1]) return { view: 'run', runId: parts[1] };
  if (parts[0] === 'runs') return { view: 'runs' };
  if (parts[0] === 'new') return { view: 'new' };
  if (parts[0] === 'compare') return { view: 'compare' };
  if (parts[0] === 'backends') return { view: 'backends' };
  if (parts[0] === 'generate') return parts[1] ? { view: 'generate', runId: parts[1] } : { view: 'generate' };
  return { view: 'datasets' };
}

/** The current route; reassigned on every hash change. */
export const router = $state({ route: parse(location.hash) });

window.addEventListener('hashchange', () => {
  router.route = parse(location.hash);
});

/** Navigate to a route by setting the hash (keeps back/forward working). */
export function go(route: Route): void {
  if (route.view === 'run') location.hash = `#/runs/${encodeURIComponent(route.runId)}`;
  else if (route.view === 'generate' && route.runId) location.hash = `#/generate/${encodeURIComponent(route.runId)}`;
  else location.hash = `#/${route.view}`;
}
