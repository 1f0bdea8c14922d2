/**
 * The evidence page: one HTML file with inline CSS, no scripts and no
 * external URLs, whose images are files in the same folder — so the folder
 * can be zipped, mailed or opened offline and shows the same thing.
 */
import { configFieldLabel, formatConfigValue } from '../../shared/config-fields';
import { plural } from '../../shared/plural';
import type { ConfigDifference } from './compare';
import type { RunNumbers } from './evidence-summary';

/** The quality-score section (evidence-scores.ts builds it). */
export interface EvidenceScores {
  /** The newest scored epoch of this run. */
  epoch?: number;
  /** What the scores were measured with and what they compare. */
  features: string;
  charts: { file: string; alt: string }[];
  /** This run's newest value per score (with n) and its arm's mean over seeds. */
  rows: { label: string; value: string; seeds: string }[];
  /** Which runs (seeds) stand behind each arm. */
  seeds: string[];
  /** One sentence per score against the baseline (the same sentences Compare and the CLI show). */
  verdicts: string[];
  /** Why there is no verdict, cautions, and how to get one (more seeds). */
  notes: string[];
  /** The verdict rule and the ± convention, in one sentence. */
  rule: string;
}

/** Everything the page shows; image fields are file names inside the evidence folder. */
export interface EvidencePage {
  runName: string;
  runId: string;
  datasetName: string;
  generatedAt: string;
  studioVersion: string;
  setup: [string, string][];
  images: { progressGif: string; finalGrid: string; lossChart: string; accuracyChart: string };
  numbers: RunNumbers;
  runText: string;
  scores?: EvidenceScores;
  /** Damaged lines of the runs' files that were left out, one sentence per file. */
  notes?: string[];
  baseline?: {
    name: string;
    numbers: RunNumbers;
    comparisonImage: string;
    /** Both runs at the last epoch they share, when their lengths differ. */
    sameEpochImage?: string;
    fakeAccuracyChart: string;
    sharedNoise: boolean;
    noiseNote: string;
    configDiff: ConfigDifference[];
    lines: string[];
  };
}

/** HTML-escape text for element content and attribute values. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

const CSS = `
body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,"DejaVu Sans",sans-serif;margin:0;background:#fafafa;color:#1b1b1b;line-height:1.5}
main{max-width:980px;margin:0 auto;padding:24px}
h1{font-size:1.6rem;margin:0 0 4px}h2{font-size:1.2rem;margin:32px 0 8px;border-bottom:1px solid #ddd;padding-bottom:4px}
.meta{color:#666;font-size:.9rem}
figure{margin:12px 0}figcaption{color:#555;font-size:.9rem}
img.pixel{image-rendering:pixelated;max-width:100%}img.chart{max-width:100%;border:1px solid #e3e3e3;background:#fff}
table{border-collapse:collapse;margin:8px 0}td,th{border:1px solid #ddd;padding:4px 10px;text-align:left;font-size:.92rem}
th{background:#f0f0f0}td.num{text-align:right;font-variant-numeric:tabular-nums}
.note{background:#fff8e5;border-left:4px solid #f0a040;padding:8px 12px}
.ok{background:#eef8ee;border-left:4px solid #2ca02c;padding:8px 12px}
`;

const f3 = (n: number | undefined): string => (n === undefined ? '—' : n.toFixed(3));

function numbersTable(runs: RunNumbers[]): string {
  const row = (label: string, pick: (run: RunNumbers) => string): string =>
    `<tr><th>${escapeHtml(label)}</th>${runs.map((run) => `<td class="num">${escapeHtml(pick(run))}</td>`).join('')}</tr>`;
  return (
    `<table><tr><th></th>${runs.map((run) => `<th>${escapeHtml(run.name)}</th>`).join('')}</tr>` +
    row('epochs trained', (r) => String(r.epochs)) +
    row('final fake_accuracy', (r) => f3(r.final?.fake_accuracy)) +
    row('final real_accuracy', (r) => f3(r.final?.real_accuracy)) +
    row(`|fake_accuracy − 0.5|, mean of the last ${plural(Math.max(...runs.map((r) => r.tailEpochs)), 'epoch')}`, (r) => f3(r.fakeAccuracyDistance)) +
    row('final gen_loss', (r) => f3(r.final?.gen_loss)) +
    row('final disc_loss', (r) => f3(r.final?.disc_loss)) +
    '</table>'
  );
}

function baselineSection(page: EvidencePage): string {
  const b = page.baseline;
  if (!b) return '';
  const diff = b.configDiff.length
    ? `<table><tr><th>setting</th><th>${escapeHtml(b.name)} (baseline)</th><th>${escapeHtml(page.runName)}</th></tr>${b.configDiff
        .map(
          (d) =>
            `<tr><td>${escapeHtml(configFieldLabel(d.key))}</td><td>${escapeHtml(formatConfigValue(d.key, d.values[0]))}</td><td>${escapeHtml(formatConfigValue(d.key, d.values[1]))}</td></tr>`,
        )
        .join('')}</table>`
    : '<p class="note">The two runs have identical configs: any difference comes from chance, not from a change.</p>';
  return `
<h2>Against the baseline</h2>
<p>Baseline: <strong>${escapeHtml(b.name)}</strong>. What changed:</p>
${diff}
<figure><img class="pixel" src="${escapeHtml(b.comparisonImage)}" alt="Final sample grids: baseline left, this run right">
<figcaption>Final sample grids side by side — baseline left, this run right.</figcaption></figure>
${
  b.sameEpochImage
    ? `<figure><img class="pixel" src="${escapeHtml(b.sameEpochImage)}" alt="Both runs at the same epoch">
<figcaption>The runs trained for different numbers of epochs; here both are shown after the same epoch.</figcaption></figure>`
    : ''
}
<p class="${b.sharedNoise ? 'ok' : 'note'}">${escapeHtml(b.noiseNote)}</p>
<figure><img class="chart" src="${escapeHtml(b.fakeAccuracyChart)}" alt="Fake accuracy per epoch, both runs, with the 0.5 line"></figure>
${numbersTable([b.numbers, page.numbers])}
${b.lines.map((line) => `<p>${escapeHtml(line)}</p>`).join('\n')}`;
}

function scoresSection(page: EvidencePage): string {
  const s = page.scores;
  if (!s) return '';
  const table = s.rows.length
    ? `<table><tr><th>score${s.epoch !== undefined ? ` at epoch ${s.epoch}` : ''}</th><th>this run</th><th>its config over seeds</th></tr>${s.rows
        .map((r) => `<tr><th>${escapeHtml(r.label)}</th><td class="num">${escapeHtml(r.value)}</td><td class="num">${escapeHtml(r.seeds)}</td></tr>`)
        .join('')}</table>`
    : '';
  const verdicts = s.verdicts.length
    ? `<h3>Verdict against the baseline</h3>\n<ul class="verdicts">${s.verdicts.map((v) => `<li>${escapeHtml(v)}</li>`).join('')}</ul>`
    : '';
  return `
<h2>Quality scores</h2>
<p>${escapeHtml(s.features)}</p>
${table}
${verdicts}
${s.notes.map((note) => `<p class="note">${escapeHtml(note)}</p>`).join('\n')}
<p class="meta">${escapeHtml(s.rule)}</p>
${s.seeds.map((line) => `<p class="meta">${escapeHtml(line)}</p>`).join('\n')}
${s.charts.map((c) => `<figure><img class="chart" src="${escapeHtml(c.file)}" alt="${escapeHtml(c.alt)}"></figure>`).join('\n')}`;
}

/** Render the page. Every src/href points at a file name inside the evidence folder. */
export function renderEvidenceHtml(page: EvidencePage): string {
  const title = `GAN evidence — ${page.runName}`;
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<meta name="generator" content="GAN Studio ${escapeHtml(page.studioVersion)}">
<title>${escapeHtml(title)}</title><style>${CSS}</style></head>
<body><main>
<h1>${escapeHtml(title)}</h1>
<p class="meta">Run ${escapeHtml(page.runId)} · dataset ${escapeHtml(page.datasetName)} · written ${escapeHtml(page.generatedAt)}</p>
${page.notes ? `<p class="note">Damaged records were left out of this pack:</p>\n<ul>${page.notes.map((note) => `<li>${escapeHtml(note)}</li>`).join('')}</ul>` : ''}

<h2>What the generator draws</h2>
<figure><img class="pixel" src="${escapeHtml(page.images.finalGrid)}" alt="Final sample grid">
<figcaption>The final fixed-noise sample grid${page.numbers.final ? ` (epoch ${page.numbers.final.epoch})` : ''}.</figcaption></figure>
<figure><img class="pixel" src="${escapeHtml(page.images.progressGif)}" alt="Sample grid after each epoch, animated">
<figcaption>The same latent vectors after every epoch: the images sharpen as training goes on.</figcaption></figure>

<h2>Training curves</h2>
<figure><img class="chart" src="${escapeHtml(page.images.lossChart)}" alt="Generator and discriminator loss"></figure>
<figure><img class="chart" src="${escapeHtml(page.images.accuracyChart)}" alt="Discriminator accuracy on real and fake images with a dashed 0.5 line">
<figcaption>A discriminator that can no longer tell fakes from real images is right about half the time: fake accuracy trending toward the dashed 0.5 line shows the generator catching up.</figcaption></figure>
<p>${escapeHtml(page.runText)}</p>
${page.baseline ? '' : numbersTable([page.numbers])}
${scoresSection(page)}
${baselineSection(page)}

<h2>Setup</h2>
<table>${page.setup.map(([k, v]) => `<tr><th>${escapeHtml(k)}</th><td>${escapeHtml(v)}</td></tr>`).join('')}</table>
</main></body></html>
`;
}
