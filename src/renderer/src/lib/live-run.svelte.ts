/**
 * One run's live data: loaded with getRun, then extended by events. Step
 * arrays stay plain (outside Svelte's deep proxies) and a `version` counter,
 * bumped at most a few times a second, tells charts to redraw.
 */
import type { RunDetail, RunSummary, StudioEvent } from '../../../shared/api';
import type { EpochMetrics, StepMetrics } from '../../../shared/metrics';
import { onConnection, studio } from './api';

const REDRAW_MS = 250;

export interface SampleRef {
  epoch: number;
  step: number;
  url: string;
}

/** Live state of one run; call `dispose` when the view closes. */
export class LiveRun {
  run: RunSummary | undefined = $state.raw();
  samples: SampleRef[] = $state.raw([]);
  version = $state(0);
  loadError: unknown = $state();
  steps: StepMetrics[] = [];
  epochs: EpochMetrics[] = [];

  private buffered: StudioEvent[] | undefined = [];
  private redrawTimer: ReturnType<typeof setTimeout> | undefined;
  private readonly disposers: (() => void)[] = [];

  constructor(readonly runId: string) {
    this.disposers.push(studio.onEvent((event) => this.onEvent(event)));
    let loaded = false;
    // Reload after a reconnect: events sent while the socket was down are gone.
    this.disposers.push(
      onConnection((state) => {
        if (state !== 'open') return;
        if (loaded) this.buffered = [];
        loaded = true;
        void this.load();
      }),
    );
  }

  /** Fetch the whole run, then apply events that arrived meanwhile. */
  async load(): Promise<void> {
    try {
      const detail: RunDetail = await studio.getRun(this.runId);
      this.run = detail.run;
      this.steps = detail.steps;
      this.epochs = detail.epochs;
      this.samples = detail.samples;
      this.loadError = undefined;
    } catch (error) {
      this.loadError = error;
    }
    const pending = this.buffered ?? [];
    this.buffered = undefined;
    for (const event of pending) this.apply(event);
    this.version++;
  }

  dispose(): void {
    clearTimeout(this.redrawTimer);
    for (const dispose of this.disposers) dispose();
  }

  private onEvent(event: StudioEvent): void {
    if (this.buffered) this.buffered.push(event);
    else this.apply(event);
  }

  private apply(event: StudioEvent): void {
    switch (event.type) {
      case 'run-updated': {
        if (event.run.id !== this.runId) return;
        const statusChanged = this.run?.status !== event.run.status;
        this.run = event.run;
        // The trainer flushes its last steps before it reports paused/stopped: draw them now, so the
        // step counter has settled when the new status shows (not a redraw tick later).
        if (statusChanged) this.redrawNow();
        return;
      }
      case 'run-steps': {
        if (event.runId !== this.runId) return;
        const last = this.steps.at(-1)?.step ?? 0;
        for (const step of event.steps) if (step.step > last) this.steps.push(step);
        break;
      }
      case 'run-epoch':
        if (event.runId !== this.runId) return;
        if (this.epochs.some((e) => e.epoch === event.metrics.epoch)) return;
        this.epochs.push(event.metrics);
        break;
      case 'run-sample':
        if (event.runId !== this.runId || this.samples.some((s) => s.url === event.url)) return;
        this.samples = [...this.samples, { epoch: event.epoch, step: event.step, url: event.url }];
        return;
      default:
        return;
    }
    this.scheduleRedraw();
  }

  private redrawNow(): void {
    clearTimeout(this.redrawTimer);
    this.redrawTimer = undefined;
    this.version++;
  }

  private scheduleRedraw(): void {
    if (this.redrawTimer !== undefined) return;
    this.redrawTimer = setTimeout(() => {
      this.redrawTimer = undefined;
      this.version++;
    }, REDRAW_MS);
  }
}
