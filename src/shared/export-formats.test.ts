import { describe, expect, it } from 'vitest';
import { ANIMATION_FORMATS, EXPORT_FORMAT_SPECS, EXPORT_FORMATS, outputFileFor } from './export-formats';

describe('export formats', () => {
  it('every format has a label; a file format its own extension', () => {
    for (const format of EXPORT_FORMATS) expect(EXPORT_FORMAT_SPECS[format].label).not.toBe('');
    for (const format of [...ANIMATION_FORMATS, 'png'] as const) expect(EXPORT_FORMAT_SPECS[format].extension).toBe(`.${format}`);
  });

  it('adds the extension to an output named without one (ffmpeg picks its muxer by it)', () => {
    expect(outputFileFor('gif', '/tmp/progress')).toEqual({ ok: true, file: '/tmp/progress.gif' });
    expect(outputFileFor('mp4', 'out/run.v2')).toEqual({ ok: true, file: 'out/run.v2.mp4' });
    expect(outputFileFor('webm', '/tmp/a.WEBM')).toEqual({ ok: true, file: '/tmp/a.WEBM' });
    expect(outputFileFor('csv', '/tmp/metrics')).toEqual({ ok: true, file: '/tmp/metrics' }); // a folder
  });

  it("refuses another format's extension before ffmpeg runs, saying which format that is", () => {
    expect(outputFileFor('gif', '/tmp/progress.mp4')).toEqual({
      ok: false,
      message: 'The output /tmp/progress.mp4 ends in .mp4, but the format is gif (a .gif file).',
      hint: 'Name it ….gif, or export with --format mp4.',
    });
    expect(outputFileFor('gif', '/tmp/.hidden')).toEqual({ ok: true, file: '/tmp/.hidden.gif' });
  });
});
