/**
 * Browser notifications for `serve`: when a run finishes, fails or crashes
 * (the shared RunNoticeTracker decides), if the user allowed them. Permission
 * is asked only from a click (Start training, Train a quick GAN), as browsers
 * require and people expect. Under Electron the main process notifies instead.
 */
import type { RunListItem, RunSummary, StudioEvent } from '../../../shared/api';
import { RunNoticeTracker } from '../../../shared/run-notice';

/** Ask once, from a user gesture, whether the studio may notify; a no-op when unsupported or already answered. */
export function askNotificationPermission(): void {
  if (typeof Notification === 'undefined' || Notification.permission !== 'default') return;
  void Notification.requestPermission().catch(() => undefined);
}

/** Notify for run endings seen in `events` after `seed`; returns the event handler to subscribe. */
export function browserRunNotifier(seed: RunListItem[], show: (title: string, options: NotificationOptions) => void = defaultShow): (event: StudioEvent) => void {
  const tracker = new RunNoticeTracker();
  tracker.seed(seed.filter((run): run is RunSummary => run.status !== 'damaged'));
  return (event) => {
    if (event.type === 'run-deleted') tracker.forget(event.runId);
    if (event.type !== 'run-updated') return;
    const notice = tracker.update(event.run);
    if (notice) show(notice.title, { body: notice.body, tag: `run-${notice.runId}` });
  };
}

function defaultShow(title: string, options: NotificationOptions): void {
  if (typeof Notification === 'undefined' || Notification.permission !== 'granted') return;
  const shown = new Notification(title, options);
  shown.onclick = () => window.focus();
}
