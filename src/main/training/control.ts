/**
 * Pause / resume / stop requests from the parent, observed by the loop
 * between steps (a step itself is never interrupted).
 */
export class TrainingControl {
  private paused = false;
  private stopped = false;
  private wake: (() => void) | undefined;

  pause(): void {
    this.paused = true;
  }

  resume(): void {
    this.paused = false;
    this.wake?.();
  }

  /** Stop at the next step boundary (also ends a pause). */
  stop(): void {
    this.stopped = true;
    this.wake?.();
  }

  get stopRequested(): boolean {
    return this.stopped;
  }

  /**
   * Called between steps: lets queued messages arrive, waits out a pause
   * (calling onPause/onResume around it) and tells whether to stop.
   */
  async shouldStop(onPause: () => Promise<void> | void, onResume: () => Promise<void> | void): Promise<boolean> {
    // Yield to the event loop so pause/stop messages are delivered mid-epoch.
    await new Promise<void>((resolve) => setImmediate(resolve));
    if (this.paused && !this.stopped) {
      await onPause();
      while (this.paused && !this.stopped) await new Promise<void>((resolve) => (this.wake = resolve));
      this.wake = undefined;
      if (!this.stopped) await onResume();
    }
    return this.stopped;
  }
}
