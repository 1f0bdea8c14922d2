import { describe, expect, it } from 'vitest';
import { noticeFor, RunNoticeTracker, trainingProgress, type NoticeRun } from './run-notice';

const run = (status: NoticeRun['status'], extra: Partial<NoticeRun> = {}): NoticeRun => ({
  id: 'r1',
  name: 'quick · Fashion-MNIST',
  status,
  epoch: 3,
  config: { epochs: 10 },
  ...extra,
});

describe('noticeFor', () => {
  it('announces a run that finishes, fails or crashes, naming it', () => {
    expect(noticeFor('running', run('completed', { epoch: 10 }))).toEqual({
      title: 'Training finished: quick · Fashion-MNIST',
      body: 'All 10 epochs done. Open the run to see its grid and export it.',
      runId: 'r1',
    });
    expect(noticeFor('running', run('completed', { epoch: 1, config: { epochs: 1 } }))?.body).toBe('All 1 epoch done. Open the run to see its grid and export it.');
    expect(noticeFor('running', run('failed', { failure: { kind: 'nan', message: 'Training diverged at step 40.\nmore' } }))).toMatchObject({
      title: 'Training failed: quick · Fashion-MNIST',
      body: 'Training diverged at step 40.',
    });
    expect(noticeFor('paused', run('crashed', { failure: { kind: 'crash', message: 'killed by SIGKILL' } }))).toMatchObject({
      title: 'Trainer crashed: quick · Fashion-MNIST',
      body: 'killed by SIGKILL Resume continues from epoch 3.',
    });
  });

  it('stays quiet for a stop (the user did it), other changes, no change, and runs first seen ended', () => {
    expect(noticeFor('running', run('stopped'))).toBeUndefined();
    expect(noticeFor('running', run('paused'))).toBeUndefined();
    expect(noticeFor('completed', run('completed'))).toBeUndefined();
    expect(noticeFor(undefined, run('completed'))).toBeUndefined();
  });
});

describe('RunNoticeTracker', () => {
  it('notices endings of runs it saw training, once', () => {
    const tracker = new RunNoticeTracker();
    tracker.seed([{ id: 'old', status: 'completed' }]);
    expect(tracker.update(run('completed', { id: 'old' }))).toBeUndefined();
    expect(tracker.update(run('running'))).toBeUndefined();
    expect(tracker.update(run('completed'))?.title).toMatch(/^Training finished/);
    expect(tracker.update(run('completed'))).toBeUndefined();
    // A run created elsewhere and first seen already training still counts.
    expect(tracker.update(run('running', { id: 'new' }))).toBeUndefined();
    expect(tracker.update(run('failed', { id: 'new' }))?.title).toMatch(/^Training failed/);
  });
});

describe('RunNoticeTracker and refused resumes', () => {
  const crash = { kind: 'crashed', message: 'killed by SIGKILL' };
  const refused = { message: 'Every checkpoint of /runs/r1 is damaged: step-00000004 (generator/model.json is missing).\nmore', at: '2026-01-01T00:00:00.000Z' };

  it('announces a refusal once, as a refusal: not as a new crash when the run goes back to crashed, nor again when it leaves the queue', () => {
    const tracker = new RunNoticeTracker();
    tracker.seed([{ id: 'r1', status: 'crashed' }]);
    expect(tracker.update(run('running'))).toBeUndefined();
    expect(tracker.update(run('crashed', { failure: crash, resumeRefused: refused }))).toEqual({
      title: 'Resume refused: quick · Fashion-MNIST',
      body: 'Every checkpoint of /runs/r1 is damaged: step-00000004 (generator/model.json is missing). Nothing was changed.',
      runId: 'r1',
    });
    // Queued again (the old note hidden meanwhile) and taken out of the queue: the same refusal is no news.
    expect(tracker.update(run('queued', { failure: crash }))).toBeUndefined();
    expect(tracker.update(run('crashed', { failure: crash, resumeRefused: refused }))).toBeUndefined();
    // A newer refusal is, from any status the run went back to.
    expect(tracker.update(run('stopped', { resumeRefused: { ...refused, at: '2026-01-02T00:00:00.000Z' } }))?.title).toBe('Resume refused: quick · Fashion-MNIST');

    // A refusal known from the start is no news either; a new run that failed from the queue still is (it had no status to go back to).
    const later = new RunNoticeTracker();
    later.seed([{ id: 'r1', status: 'stopped', resumeRefused: refused }]);
    expect(later.update(run('stopped', { resumeRefused: refused }))).toBeUndefined();
    expect(later.update(run('queued', { id: 'new' }))).toBeUndefined();
    expect(later.update(run('failed', { id: 'new', failure: { kind: 'error', message: 'A queued run could not start: …' } }))?.title).toBe('Training failed: quick · Fashion-MNIST');
  });
});

describe('trainingProgress', () => {
  it('is the mean share of epochs done over running and paused runs, undefined when none trains', () => {
    expect(trainingProgress([run('running', { epoch: 5 }), run('paused', { epoch: 10, config: { epochs: 40 } }), run('completed', { epoch: 10 })])).toBeCloseTo(0.375);
    expect(trainingProgress([run('completed'), run('stopped')])).toBeUndefined();
  });
});
