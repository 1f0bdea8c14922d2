/**
 * Charts without a browser: a run with one epoch must still draw something
 * (a line through one point is an invisible move-to), and epoch axes tick on
 * whole epochs.
 */
import { describe, expect, it } from 'vitest';
import { lineChartSvg, type ChartSeries } from './charts';

/** Marker paths ECharts draws for the points of series `index`. */
const markers = (svg: string, index: number): string[] => svg.match(new RegExp(`<path [^>]*ecmeta_series_index="${index}" ecmeta_data_index="\\d+" ecmeta_ssr_type="chart"[^>]*>`, 'g')) ?? [];
const tickLabels = (svg: string): string[] => [...svg.matchAll(/<text [^>]*y="6"[^>]*>([^<]*)<\/text>/g)].map((m) => m[1]!);

function chart(series: ChartSeries[]): string {
  return lineChartSvg({ title: 'FID per epoch', xName: 'epoch', yName: 'FID', series });
}

describe('lineChartSvg', () => {
  it('draws a single-epoch run as a visible point per series, centred on a whole-epoch axis', () => {
    const svg = chart([
      { name: 'baseline', points: [[1, 2.44]], color: '#d62728' },
      { name: 'hinge loss', points: [[1, 2.1]], color: '#1f77b4' },
    ]);
    for (const [index, colour] of [[0, '#d62728'], [1, '#1f77b4']] as const) {
      const [marker, ...more] = markers(svg, index);
      expect(more).toEqual([]);
      expect(marker).toContain(`stroke="${colour}"`);
      // One epoch, widened to epochs 0–2: the point sits in the middle of the plot (x = 64 + (720 − 88) / 2).
      expect(marker).toMatch(/matrix\([^)]*,380,[\d.]+\)/);
    }
    expect(tickLabels(svg).filter((label) => label !== 'epoch')).toEqual(['0', '1', '2']);
  });

  it('a few epochs are marked points; thousands of steps stay a plain line', () => {
    const epochs = chart([{ name: 'a', points: [[1, 3], [2, 2], [3, 1.5]] }]);
    expect(markers(epochs, 0)).toHaveLength(3);
    const steps = chart([{ name: 'a', points: Array.from({ length: 1000 }, (_, i) => [i + 1, Math.sin(i / 50)] as [number, number]) }]);
    expect(markers(steps, 0)).toEqual([]);
    expect(steps).toMatch(/<path d="M[\d.]+ [\d.]+L/);
  });
});
