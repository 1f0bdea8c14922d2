/**
 * Hash routes, so a reload (or the server's ready URL with ?token=…) keeps
 * the view: #/datasets, #/new, #/runs, #/runs/<id>, #/compare.
 */
export type Route =
  | { view: 'datasets' }
  | { view: 'new' }
  | { view: 'runs' }
  | { view: 'run'; runId: string }
  | { view: 'compare' };

function parse(hash: string): Route {
  const parts = hash.replace(/^#\/?/, '').split('/').filter(Boolean).map(decodeURIComponent);
  if (parts[0] === 'runs' && parts[1]) return { view: 'run', runId: parts[1] };
  if (parts[0] === 'runs') return { view: 'runs' };
  if (parts[0] === 'new') return { view: 'new' };
  if (parts[0] === 'compare') return { view: 'compare' };
  return { view: 'datasets' };
}

/** The current route; reassigned on every hash change. */
export const router = $state({ route: parse(location.hash) });

window.addEventListener('hashchange', () => {
  router.route = parse(location.hash);
});

/** Navigate to a route by setting the hash (keeps back/forward working). */
export function go(route: Route): void {
  location.hash = route.view === 'run' ? `#/runs/${encodeURIComponent(route.runId)}` : `#/${route.view}`;
}
