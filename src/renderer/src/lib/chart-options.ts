/**
 * ECharts options for the live and compare charts. Step series use LTTB
 * sampling and large mode and draw no symbols, so 100k points stay smooth;
 * animation is off because data arrives ten times a second.
 */
import type { ChartOption } from './echarts';
import type { Point } from './run-metrics';

/** Colours read from the page's CSS variables, so charts follow light/dark. */
export interface ChartTheme {
  text: string;
  muted: string;
  grid: string;
  series: string[];
}

/** Read the current theme from CSS custom properties on :root. */
export function readChartTheme(): ChartTheme {
  const css = getComputedStyle(document.documentElement);
  const v = (name: string): string => css.getPropertyValue(name).trim();
  return {
    text: v('--text'),
    muted: v('--muted'),
    grid: v('--border'),
    series: [v('--c1'), v('--c2'), v('--c3'), v('--c4')],
  };
}

/** One line of a chart. */
export interface LineSpec {
  name: string;
  data: Point[];
  color: string;
  /** Faint raw series sit under their smoothed counterparts. */
  faint?: boolean;
  dashed?: boolean;
  /** Epoch means show their points. */
  symbols?: boolean;
}

function line(spec: LineSpec): Record<string, unknown> {
  return {
    type: 'line',
    name: spec.name,
    data: spec.data,
    color: spec.color,
    showSymbol: spec.symbols ?? false,
    symbolSize: 6,
    sampling: 'lttb',
    large: true,
    largeThreshold: 2000,
    progressive: 5000,
    connectNulls: false,
    lineStyle: { width: spec.faint ? 1 : 2, opacity: spec.faint ? 0.25 : 1, type: spec.dashed ? 'dashed' : 'solid' },
    emphasis: { disabled: true },
  };
}

/**
 * Legend icons drawn as the lines are: a solid bar for a line, dashes for a dashed one (an epoch
 * mean), so a series and its epoch mean, which share a colour, never share a legend mark.
 */
export const LEGEND_ICONS = {
  solid: 'path://M0 3h16v2H0z',
  dashed: 'path://M0 3h4v2H0zM6 3h4v2H6zM12 3h4v2h-4z',
} as const;

interface TooltipItem {
  color?: unknown;
  seriesName?: string;
  value?: unknown;
}

/**
 * "step 1,234" then one row per series (ECharts would print the step as 1,234.00). Built as DOM
 * with styles set through the CSSOM: the page's CSP refuses inline style attributes, which
 * ECharts' own HTML markers use.
 */
function tooltipFormatter(xName: string): (params: unknown) => HTMLElement {
  return (params) => {
    const items = (Array.isArray(params) ? params : [params]) as TooltipItem[];
    const x = Array.isArray(items[0]?.value) ? Number(items[0].value[0]) : Number.NaN;
    const box = document.createElement('div');
    box.append(`${xName} ${Number.isFinite(x) ? Math.round(x).toLocaleString('en-US') : ''}`);
    for (const item of items) {
      const y = Array.isArray(item.value) ? Number(item.value[1]) : Number.NaN;
      const row = document.createElement('div');
      const marker = document.createElement('span');
      Object.assign(marker.style, { display: 'inline-block', width: '10px', height: '10px', borderRadius: '50%', marginRight: '6px' });
      marker.style.background = typeof item.color === 'string' ? item.color : 'currentColor';
      const value = document.createElement('b');
      value.textContent = Number.isFinite(y) ? y.toFixed(3) : '—';
      row.append(marker, `${item.seriesName ?? ''} `, value);
      box.append(row);
    }
    return box;
  };
}

/** A step- (or epoch-) indexed line chart; `referenceY` draws a dashed horizontal marker (the 0.5 line). */
export function lineChartOption(
  lines: LineSpec[],
  theme: ChartTheme,
  options: { yName: string; xName?: string; yMin?: number; yMax?: number; referenceY?: number; referenceLabel?: string },
): ChartOption {
  const series = lines.map(line);
  const reference = options.referenceY !== undefined;
  if (reference && series[0]) {
    series[0].markLine = {
      silent: true,
      symbol: 'none',
      lineStyle: { type: 'dashed', color: theme.muted, width: 1.5 },
      // Right of the plot, in a margin of its own: inside it the label sat on the data lines.
      label: { formatter: options.referenceLabel ?? String(options.referenceY), color: theme.muted, position: 'end', distance: 6 },
      data: [{ yAxis: options.referenceY }],
    };
  }
  return {
    animation: false,
    textStyle: { color: theme.text, fontFamily: 'inherit' },
    grid: { left: 48, right: reference ? 40 : 16, top: 36, bottom: 40 },
    legend: {
      top: 0,
      textStyle: { color: theme.text },
      data: lines.filter((l) => !l.faint).map((l) => ({ name: l.name, icon: l.dashed ? LEGEND_ICONS.dashed : LEGEND_ICONS.solid })),
      itemWidth: 18,
      itemHeight: 8,
    },
    tooltip: { trigger: 'axis', axisPointer: { type: 'line' }, formatter: tooltipFormatter(options.xName ?? 'step') },
    xAxis: {
      type: 'value',
      name: options.xName ?? 'step',
      nameLocation: 'middle',
      nameGap: 26,
      min: 'dataMin',
      max: 'dataMax',
      minInterval: 1,
      axisLine: { lineStyle: { color: theme.grid } },
      // The axis ends at the data's min and max: a label there may crowd the tick before it ("180185").
      axisLabel: { color: theme.muted, hideOverlap: true },
      splitLine: { show: false },
    },
    yAxis: {
      type: 'value',
      name: options.yName,
      min: options.yMin,
      max: options.yMax,
      nameTextStyle: { color: theme.muted },
      axisLabel: { color: theme.muted },
      splitLine: { lineStyle: { color: theme.grid } },
    },
    dataZoom: [{ type: 'inside', filterMode: 'none' }],
    series,
  };
}
