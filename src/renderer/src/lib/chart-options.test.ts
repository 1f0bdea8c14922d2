import { describe, expect, it } from 'vitest';
import { LEGEND_ICONS, lineChartOption, type ChartTheme } from './chart-options';

const theme: ChartTheme = { text: '#111', muted: '#666', grid: '#ddd', series: ['#a00', '#0a0', '#00a', '#aa0'] };
const points: [number, number][] = [[1, 0.4], [185, 0.6]];

describe('line chart options', () => {
  it('a series and its dashed epoch mean (one colour) get different legend marks; raw series none', () => {
    const option = lineChartOption(
      [
        { name: 'gen_loss (raw)', data: points, color: '#a00', faint: true },
        { name: 'gen_loss', data: points, color: '#a00' },
        { name: 'gen epoch mean', data: points, color: '#a00', dashed: true, symbols: true },
      ],
      theme,
      { yName: 'loss' },
    ) as { legend: { data: { name: string; icon: string }[] } };
    expect(option.legend.data).toEqual([
      { name: 'gen_loss', icon: LEGEND_ICONS.solid },
      { name: 'gen epoch mean', icon: LEGEND_ICONS.dashed },
    ]);
  });

  it('puts the 0.5 label right of the plot, in a margin of its own, not on the lines', () => {
    const option = lineChartOption([{ name: 'fake_accuracy', data: points, color: '#aa0' }], theme, { yName: 'accuracy', referenceY: 0.5, referenceLabel: '0.5' }) as {
      grid: { right: number };
      series: { markLine: { label: { position: string; formatter: string } } }[];
    };
    expect(option.series[0]!.markLine.label).toMatchObject({ position: 'end', formatter: '0.5' });
    expect(option.grid.right).toBeGreaterThanOrEqual(36);
    const plain = lineChartOption([{ name: 'gen_loss', data: points, color: '#a00' }], theme, { yName: 'loss' }) as { grid: { right: number } };
    expect(plain.grid.right).toBe(16);
  });

  it('hides an x label that would crowd its neighbour at the axis end ("180185")', () => {
    const option = lineChartOption([{ name: 'gen_loss', data: points, color: '#a00' }], theme, { yName: 'loss' }) as { xAxis: { axisLabel: { hideOverlap: boolean } } };
    expect(option.xAxis.axisLabel.hideOverlap).toBe(true);
  });
});
