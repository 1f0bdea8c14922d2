/**
 * The app follows its main window: closing it quits (except on macOS) even
 * while hidden GPU host windows are open, the last window closing is no quit
 * by itself, and activate reopens the main window only when it is closed.
 */
import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import { followMainWindow } from './main-window';

class FakeApp extends EventEmitter {
  quits = 0;
  quit(): void {
    this.quits++;
  }
}

function setUp(platform: NodeJS.Platform): { app: FakeApp; opened: EventEmitter[]; current: () => EventEmitter | undefined } {
  const app = new FakeApp();
  const opened: EventEmitter[] = [];
  const current = followMainWindow(app, {
    platform,
    open: () => {
      const window = new EventEmitter();
      opened.push(window);
      return window;
    },
  });
  return { app, opened, current };
}

describe('followMainWindow', () => {
  it.each(['linux', 'win32'] as const)('on %s, quits when the main window closes, whatever other windows are open', (platform) => {
    const { app, opened, current } = setUp(platform);
    expect(opened).toHaveLength(1);
    expect(current()).toBe(opened[0]);
    // A GPU host window still open would stop window-all-closed from firing: quitting does not wait for it.
    opened[0]!.emit('closed');
    expect(app.quits).toBe(1);
    expect(current()).toBeUndefined();
  });

  it('does not quit when the last window to close is not the main one, and Electron’s default quit is replaced', () => {
    const { app } = setUp('linux');
    // Electron quits by itself on window-all-closed only when nothing listens to it.
    expect(app.listenerCount('window-all-closed')).toBe(1);
    app.emit('window-all-closed');
    expect(app.quits).toBe(0);
  });

  it('on macOS, stays when the main window closes and reopens it on activate, even with a GPU host window open', () => {
    const { app, opened, current } = setUp('darwin');
    app.emit('activate'); // the main window is open: nothing new
    expect(opened).toHaveLength(1);

    opened[0]!.emit('closed');
    app.emit('window-all-closed');
    expect(app.quits).toBe(0);
    expect(current()).toBeUndefined();

    app.emit('activate');
    expect(opened).toHaveLength(2);
    expect(current()).toBe(opened[1]);
    app.emit('activate');
    expect(opened).toHaveLength(2);
  });
});
