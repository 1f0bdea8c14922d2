/**
 * Loss and accuracy charts rendered without a browser: ECharts' server-side
 * SVG renderer, then sharp for PNG. The accuracy chart carries the dashed 0.5
 * line the course asks for: a discriminator that can no longer tell fakes
 * from real images is right about half the time.
 */
import * as echarts from 'echarts';
import sharp from 'sharp';
import type { EpochMetrics, StepMetrics } from '../../shared/metrics';

/** One line of a chart. */
export interface ChartSeries {
  name: string;
  points: [number, number][];
  color?: string;
}

export interface LineChartSpec {
  title: string;
  xName: string;
  yName: string;
  series: ChartSeries[];
  /** A dashed horizontal reference line, e.g. 0.5 on accuracy charts. */
  referenceY?: number;
  yRange?: [number, number];
  width?: number;
  height?: number;
}

/** Lines with more points than this are averaged in buckets: the shape stays, the file stays small. */
const MAX_POINTS = 1500;

/** Average consecutive points into at most MAX_POINTS buckets. */
export function downsample(points: [number, number][]): [number, number][] {
  if (points.length <= MAX_POINTS) return points;
  const size = Math.ceil(points.length / MAX_POINTS);
  const out: [number, number][] = [];
  for (let i = 0; i < points.length; i += size) {
    const bucket = points.slice(i, i + size);
    out.push([bucket.at(-1)![0], bucket.reduce((sum, p) => sum + p[1], 0) / bucket.length]);
  }
  return out;
}

/** Up to this many points a line also marks each point: a single epoch is then a dot, not an invisible move-to. */
const MARKED_POINTS = 60;

/** The x range: the data's, widened by one on each side when every point has the same x (one epoch). */
function xRange(series: ChartSeries[]): { min: number | 'dataMin'; max: number | 'dataMax' } {
  const xs = series.flatMap((s) => s.points.map(([x]) => x));
  if (xs.length === 0) return { min: 'dataMin', max: 'dataMax' };
  const [low, high] = [Math.min(...xs), Math.max(...xs)];
  return low === high ? { min: low - 1, max: high + 1 } : { min: 'dataMin', max: 'dataMax' };
}

/** Render a line chart as a standalone SVG string. */
export function lineChartSvg(spec: LineChartSpec): string {
  const width = spec.width ?? 720;
  const height = spec.height ?? 360;
  const chart = echarts.init(null, null, { renderer: 'svg', ssr: true, width, height });
  try {
    chart.setOption({
      animation: false,
      backgroundColor: '#ffffff',
      textStyle: { fontFamily: 'DejaVu Sans, Liberation Sans, Arial, sans-serif' },
      title: { text: spec.title, left: 'center', top: 6, textStyle: { fontSize: 15 } },
      legend: { top: 32, itemGap: 24 },
      grid: { left: 64, right: 24, top: 70, bottom: 48 },
      // Epochs and steps are whole numbers: no tick at epoch 0.5.
      xAxis: { type: 'value', name: spec.xName, nameLocation: 'middle', nameGap: 28, minInterval: 1, ...xRange(spec.series) },
      yAxis: { type: 'value', name: spec.yName, min: spec.yRange?.[0], max: spec.yRange?.[1] },
      series: spec.series.map((series, index) => ({
        name: series.name,
        type: 'line',
        showSymbol: series.points.length <= MARKED_POINTS,
        lineStyle: { width: 1.5 },
        ...(series.color ? { color: series.color } : {}),
        data: downsample(series.points),
        ...(index === 0 && spec.referenceY !== undefined
          ? {
              markLine: {
                silent: true,
                symbol: 'none',
                lineStyle: { type: 'dashed', color: '#555555', width: 1.5 },
                label: { formatter: String(spec.referenceY), position: 'end' },
                data: [{ yAxis: spec.referenceY }],
              },
            }
          : {}),
      })),
    });
    return chart.renderToSVGString();
  } finally {
    chart.dispose();
  }
}

/** Rasterise an SVG chart (2× for sharp text on high-DPI screens and slides). */
export function svgToPng(svg: string): Promise<Buffer> {
  return sharp(Buffer.from(svg), { density: 144 }).png().toBuffer();
}

const xName = (steps: StepMetrics[]): string => (steps.length ? 'step' : 'epoch');

function pick(steps: StepMetrics[], epochs: EpochMetrics[], key: 'gen_loss' | 'disc_loss' | 'real_accuracy' | 'fake_accuracy'): [number, number][] {
  // Per-step lines show the most; runs written before any step record fall back to epoch means.
  return steps.length ? steps.map((s) => [s.step, s[key]]) : epochs.map((e) => [e.epoch, e[key]]);
}

/** Generator and discriminator loss over training. */
export function lossChart(steps: StepMetrics[], epochs: EpochMetrics[], title = 'Loss'): LineChartSpec {
  return {
    title,
    xName: xName(steps),
    yName: 'binary cross-entropy',
    series: [
      { name: 'gen_loss', points: pick(steps, epochs, 'gen_loss'), color: '#1f77b4' },
      { name: 'disc_loss', points: pick(steps, epochs, 'disc_loss'), color: '#d62728' },
    ],
  };
}

/** Discriminator accuracy on real and fake images, with the 0.5 line. */
export function accuracyChart(steps: StepMetrics[], epochs: EpochMetrics[], title = 'Discriminator accuracy'): LineChartSpec {
  return {
    title,
    xName: xName(steps),
    yName: 'accuracy',
    yRange: [0, 1],
    referenceY: 0.5,
    series: [
      { name: 'real_accuracy', points: pick(steps, epochs, 'real_accuracy'), color: '#2ca02c' },
      { name: 'fake_accuracy', points: pick(steps, epochs, 'fake_accuracy'), color: '#ff7f0e' },
    ],
  };
}

/** One strong, distinguishable colour per run (ECharts' default second colour is a pale green). */
const RUN_COLOURS = ['#1f77b4', '#d62728', '#2ca02c', '#9467bd'];

/** Epoch-mean fake accuracy of several runs on one chart (evidence pack: baseline vs this run). */
export function fakeAccuracyComparison(runs: { name: string; epochs: EpochMetrics[] }[]): LineChartSpec {
  return {
    title: 'Fake accuracy per epoch (closer to 0.5 = D fooled more often)',
    xName: 'epoch',
    yName: 'fake_accuracy',
    yRange: [0, 1],
    referenceY: 0.5,
    series: runs.map((run, index) => ({
      name: run.name,
      points: run.epochs.map((e) => [e.epoch, e.fake_accuracy]),
      color: RUN_COLOURS[index % RUN_COLOURS.length],
    })),
  };
}
