/**
 * One run's live data: loaded with getRun, then extended by events. Step
 * arrays stay plain (outside Svelte's deep proxies) and a `version` counter,
 * bumped at most a few times a second, tells charts to redraw. A long run
 * arrives as a bounded overview (steps, epochs, grids, scores); zooming a
 * chart fetches that range in detail, and stopping the scrubber on a grid
 * fetches the grids around it (getRunHistory).
 */
import type { RunDetail, RunSummary, SampleRef, StudioEvent } from '../../../shared/api';
import type { EpochMetrics, StepMetrics } from '../../../shared/metrics';
import type { ScoresRecord } from '../../../shared/scores';
import { onConnection, studio } from './api';
import { epochRangeOfSteps, mergeSamples } from './run-history';

export type { SampleRef };

const REDRAW_MS = 250;
/**
 * Live steps are appended in full; past this many points the overview is fetched again (bounded
 * by the server), so a view left open on a long training run keeps a bounded chart.
 */
const RECOMPACT_POINTS = 6000;
/** Likewise for epoch records and grids (live ones and those loaded around a scrubbed grid). */
const RECOMPACT_RECORDS = 1500;
/** Wait for the wheel or pinch to settle before asking for a zoomed range. */
const ZOOM_SETTLE_MS = 200;

/** Live state of one run; call `dispose` when the view closes. */
export class LiveRun {
  run: RunSummary | undefined = $state.raw();
  samples: SampleRef[] = $state.raw([]);
  /** Quality scores per scored epoch (few: one record per epoch). */
  scores: ScoresRecord[] = $state.raw([]);
  version = $state(0);
  loadError: unknown = $state();
  /** Grids the run holds; more than samples.length when the overview left some out. */
  sampleCount = $state(0);
  steps: StepMetrics[] = [];
  epochs: EpochMetrics[] = [];
  /** Step records on disk when loaded; more than steps.length when the overview was downsampled. */
  stepCount = 0;
  /** Epoch records the run holds; more than epochs.length when the overview was downsampled. */
  epochCount = 0;
  /** Training time of the steps after the last complete epoch (counted over every step). */
  msSinceLastEpoch = 0;
  /** Training time of every complete epoch, in seconds (counted over every epoch). */
  epochSeconds = 0;
  /** Full-resolution (or finer) steps of the zoomed range, drawn instead of the overview there. */
  private detail: { from: number; to: number; steps: StepMetrics[] } | undefined;
  /** The zoomed range's epoch records in full, drawn instead of the overview's there. */
  private epochDetail: EpochMetrics[] | undefined;
  /** Epoch ranges whose grids were fetched already ("from-to"). */
  private readonly refined = new Set<string>();
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
      this.epochCount = detail.epochCount;
      this.sampleCount = detail.sampleCount;
      this.msSinceLastEpoch = detail.msSinceLastEpoch;
      this.epochSeconds = detail.epochSeconds;
      this.detail = undefined;
      this.epochDetail = undefined;
      this.refined.clear();
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

  /** The epoch means to chart: the overview, with the zoomed range's records in full when they were fetched. */
  chartEpochs(): EpochMetrics[] {
    const detail = this.epochDetail;
    if (!detail || detail.length === 0) return this.epochs;
    const first = detail[0]!.epoch;
    const last = detail.at(-1)!.epoch;
    return [...this.epochs.filter((e) => e.epoch < first), ...detail, ...this.epochs.filter((e) => e.epoch > last)];
  }

  /**
   * Show steps `from`..`to` in detail (undefined: the whole run again), and the epoch means in
   * that range. Only a downsampled overview needs it; the latest request wins.
   */
  zoom(range: { from: number; to: number } | undefined): void {
    clearTimeout(this.zoomTimer);
    const request = ++this.zoomRequest;
    const stepsCut = this.stepCount > this.steps.length;
    const epochsCut = this.epochCount > this.epochs.length;
    if (!range || (!stepsCut && !epochsCut)) {
      if (this.detail || this.epochDetail) {
        this.detail = undefined;
        this.epochDetail = undefined;
        this.version++;
      }
      return;
    }
    const from = Math.max(0, Math.floor(range.from));
    const to = Math.max(0, Math.ceil(range.to));
    this.zoomTimer = setTimeout(() => {
      // A failed zoom only means less detail: the overview stays.
      if (stepsCut) {
        studio.getRunSteps(this.runId, from, to).then((slice) => {
          if (request !== this.zoomRequest) return;
          this.detail = { ...range, steps: slice.steps };
          this.version++;
        }, () => undefined);
      }
      if (epochsCut) {
        const epochs = epochRangeOfSteps(this.epochs, from, to);
        studio.getRunHistory(this.runId, epochs.from, epochs.to).then((history) => {
          if (request !== this.zoomRequest) return;
          this.epochDetail = history.epochs;
          this.version++;
        }, () => undefined);
      }
    }, ZOOM_SETTLE_MS);
  }

  /**
   * The scrubber stopped on `sample`: when the overview left grids out, fetch every grid between
   * its neighbours, so the scrubber can step through them one by one.
   */
  loadSamplesAround(sample: SampleRef): void {
    if (this.sampleCount <= this.samples.length) return;
    const index = this.samples.findIndex((s) => s.url === sample.url);
    if (index < 0) return;
    const from = this.samples[Math.max(0, index - 1)]!.epoch;
    const to = this.samples[Math.min(this.samples.length - 1, index + 1)]!.epoch;
    const key = `${from}-${to}`;
    if (this.refined.has(key)) return;
    this.refined.add(key);
    studio.getRunHistory(this.runId, from, to).then(
      (history) => (this.samples = mergeSamples(this.samples, history.samples)),
      () => this.refined.delete(key),
    );
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
        if ((this.steps.length > RECOMPACT_POINTS || this.epochs.length > RECOMPACT_RECORDS || this.samples.length > RECOMPACT_RECORDS) && !this.buffered) {
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
        this.epochCount++;
        this.epochSeconds += Number.isFinite(event.metrics.seconds) ? event.metrics.seconds : 0;
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
        this.sampleCount++;
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
