/** Exports of runs: animations, stills, charts, CSV, generator, comparison facts and the evidence pack. */
export { ANIMATION_FORMATS, exportComparisonAnimation, exportProgressAnimation } from './animation';
export type { AnimationFormat, AnimationOptions, AnimationResult } from './animation';
export { accuracyChart, fakeAccuracyComparison, lineChartSvg, lossChart, svgToPng } from './charts';
export type { ChartSeries, LineChartSpec } from './charts';
export { compareRuns } from './compare';
export type { ConfigDifference, RunComparison } from './compare';
export { EPOCH_COLUMNS, STEP_COLUMNS, toCsv } from './csv';
export { ExportCancelledError, ExportError, ExportInputError, FfmpegNotFoundError } from './errors';
export { writeEvidence } from './evidence';
export type { EvidenceOptions, EvidenceResult } from './evidence';
export { resolveFfmpeg } from './ffmpeg';
export type { FfmpegSource, ResolvedFfmpeg } from './ffmpeg';
export { exportCharts, exportCsv, exportGenerator, exportGridPng, GENERATOR_INFO_FILE } from './run-exports';
export { defaultExportOut, EXPORT_FORMATS, exportRequestFor, exportRequestSchema, ONE_FRAME_NOTE, runExport } from './request';
export type { ExportOptions, ExportOutcome, ExportRequest } from './request';
