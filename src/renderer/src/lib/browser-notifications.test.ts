import { describe, expect, it } from 'vitest';
import type { RunSummary } from '../../../shared/api';
import { browserRunNotifier } from './browser-notifications';

const run = (id: string, status: RunSummary['status']): RunSummary =>
  ({ id, name: `run ${id}`, status, epoch: 2, step: 0, config: { epochs: 2 }, latestSampleUrl: null }) as unknown as RunSummary;

describe('browserRunNotifier', () => {
  it('shows one tagged notification per ending of a run seen before it ended', () => {
    const shown: [string, NotificationOptions][] = [];
    const handle = browserRunNotifier([run('old', 'completed'), { id: 'bad', name: 'bad', status: 'damaged', damage: 'x', createdAt: '' }], (title, options) => shown.push([title, options]));
    handle({ type: 'run-updated', run: run('old', 'completed') });
    handle({ type: 'run-updated', run: run('a', 'running') });
    handle({ type: 'run-updated', run: run('a', 'completed') });
    handle({ type: 'run-steps', runId: 'a', steps: [] });
    expect(shown).toEqual([['Training finished: run a', { body: 'All 2 epochs done. Open the run to see its grid and export it.', tag: 'run-a' }]]);
  });
});
