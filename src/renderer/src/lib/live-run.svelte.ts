/**
 * One run's live data: loaded with getRun, then extended by events. Step
 * arrays stay plain (outside Svelte's deep proxies) and a `version` counter,
 * bumped at most a few times a second, tells charts to redraw. A long run
 * arrives as a bounded overview; zooming a chart fetches that range in detail.
 */
import type { RunDetail, RunSummary, StudioEvent } from '../../../shared/api';
import type { EpochMetrics, StepMetrics } from '../../../shared/metrics';
import type { ScoresRecord } from '../../../shared/scores';
import { onConnection, studio } from './api';

const REDRAW_MS = 250;
/**
 * Live steps are appended in full; past this many points the overview is fetched again (bounded
 * by the server), so a view left open on a long training run keeps a bounded chart.
 */
const RECOMPACT_POINTS = 6000;
/** Wait for the wheel or pinch to settle before asking for a zoomed range. */
const ZOOM_SETTLE_MS = 200;

export interface SampleRef {
  epoch: number;
  step: number;
  url: string;
}

/** Live state of one run; call `dispose` when the view closes. */
export class LiveRun {
  run: RunSummary | undefined = $state.raw();
  samples: SampleRef[] = $state.raw([]);
  /** Quality scores per scored epoch (few: one record per epoch). */
  scores: ScoresRecord[] = $state.raw([]);
  version = $state(0);
  loadError: unknown = $state();
  steps: StepMetrics[] = [];
  epochs: EpochMetrics[] = [];
  /** Step records on disk when loaded; more than steps.length when the overview was downsampled. */
  stepCount = 0;
  /** Training time of the steps after the last complete epoch (counted over every step). */
  msSinceLastEpoch = 0;
  /** Full-resolution (or finer) steps of the zoomed range, drawn instead of the overview there. */
  private detail: { from: number; to: number; steps: StepMetrics[] } | undefined;
  private zoomTimer: ReturnType<typeof setTimeout> | undefined;
  private zoomRequest = 0;

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
      this.stepCount = detail.stepCount;
      this.msSinceLastEpoch = detail.msSinceLastEpoch;
      this.detail = undefined;
      this.samples = detail.samples;
      this.scores = detail.scores;
      this.loadError = undefined;
    } catch (error) {
      this.loadError = error;
    }
    const pending = this.buffered ?? [];
    this.buffered = undefined;
    for (const event of pending) this.apply(event);
    this.version++;
  }

  /** The steps to chart: the overview, with the zoomed range in detail when one was fetched. */
  chartSteps(): StepMetrics[] {
    const detail = this.detail;
    if (!detail || detail.steps.length === 0) return this.steps;
    const first = detail.steps[0]!.step;
    const last = detail.steps.at(-1)!.step;
    return [...this.steps.filter((s) => s.step < first), ...detail.steps, ...this.steps.filter((s) => s.step > last)];
  }

  /**
   * Show steps `from`..`to` in detail (undefined: the whole run again). Only a downsampled
   * overview needs it; the latest request wins.
   */
  zoom(range: { from: number; to: number } | undefined): void {
    clearTimeout(this.zoomTimer);
    const request = ++this.zoomRequest;
    if (!range || this.stepCount <= this.steps.length) {
      if (this.detail) {
        this.detail = undefined;
        this.version++;
      }
      return;
    }
    this.zoomTimer = setTimeout(() => {
      studio.getRunSteps(this.runId, Math.max(0, Math.floor(range.from)), Math.max(0, Math.ceil(range.to))).then(
        (slice) => {
          if (request !== this.zoomRequest) return;
          this.detail = { ...range, steps: slice.steps };
          this.version++;
        },
        () => {
          // The overview stays; a failed zoom only means less detail.
        },
      );
    }, ZOOM_SETTLE_MS);
  }

  dispose(): void {
    clearTimeout(this.zoomTimer);
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
        const epochEnd = this.epochs.at(-1)?.step ?? 0;
        for (const step of event.steps) {
          if (step.step <= last) continue;
          this.steps.push(step);
          this.stepCount++;
          if (step.step > epochEnd) this.msSinceLastEpoch += step.ms;
        }
        if (this.steps.length > RECOMPACT_POINTS && !this.buffered) {
          // Events meanwhile wait in the buffer and are applied on top of the fresh overview.
          this.buffered = [];
          void this.load();
        }
        break;
      }
      case 'run-epoch':
        if (event.runId !== this.runId) return;
        if (this.epochs.some((e) => e.epoch === event.metrics.epoch)) return;
        this.epochs.push(event.metrics);
        // Steps past a new epoch's end all arrived live, so the array holds every one of them.
        this.msSinceLastEpoch = this.steps.reduce((sum, s) => (s.step > event.metrics.step ? sum + s.ms : sum), 0);
        break;
      case 'run-scores':
        if (event.runId !== this.runId) return;
        // A resumed run re-scores the epochs past its checkpoint: the newer record replaces the older.
        this.scores = [...this.scores.filter((r) => r.epoch !== event.record.epoch), event.record].sort((a, b) => a.epoch - b.epoch);
        return;
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
