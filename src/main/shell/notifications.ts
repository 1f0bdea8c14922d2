/**
 * The desktop's side of run notifications, kept thin: the service's events
 * go through the shared RunNoticeTracker (what to say, and when), out come
 * Electron notifications and the dock/taskbar progress bar.
 */
import { Notification, type BrowserWindow } from 'electron';
import type { RunListItem, StudioApi } from '../../shared/api';
import { RunNoticeTracker, trainingProgress, type NoticeRun } from '../../shared/run-notice';

/** Start notifying for `service`'s runs; `window` is asked each time (it may be re-created). Returns the unsubscribe. */
export function notifyRunEvents(service: Pick<StudioApi, 'onEvent' | 'listRuns'>, window: () => BrowserWindow | undefined): () => void {
  const tracker = new RunNoticeTracker();
  const runs = new Map<string, NoticeRun>();
  const showProgress = (): void => {
    const target = window();
    if (target && !target.isDestroyed()) target.setProgressBar(trainingProgress(runs.values()) ?? -1);
  };
  const known = (run: RunListItem): run is Exclude<RunListItem, { status: 'damaged' }> => run.status !== 'damaged';

  void service.listRuns().then(
    (listed) => {
      for (const run of listed.filter(known)) if (!runs.has(run.id)) runs.set(run.id, run);
      tracker.seed(runs.values());
      showProgress();
    },
    () => undefined, // notifications are a courtesy: a failed listing only means none for runs already there
  );

  return service.onEvent((event) => {
    if (event.type === 'run-deleted') {
      runs.delete(event.runId);
      tracker.forget(event.runId);
    } else if (event.type === 'run-updated') {
      runs.set(event.run.id, event.run);
      const notice = tracker.update(event.run);
      if (notice && Notification.isSupported()) {
        const shown = new Notification({ title: notice.title, body: notice.body });
        shown.on('click', () => {
          const target = window();
          if (target && !target.isDestroyed()) target.show();
        });
        shown.show();
      }
    } else return;
    showProgress();
  });
}
