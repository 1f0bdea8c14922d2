/**
 * Datasets: import any supported source into a cached uint8 NHWC dataset,
 * load it back, describe it. See import.ts for the cache lifecycle and
 * sources/ for the formats each importer accepts.
 */
export { importDataset } from './import';
export type { ImportContext, ImportProgress, ImportResult } from './import';
export { loadDataset } from './load';
export { openDataset } from './reader';
export type { DatasetReader } from './reader';
export type { LoadedDataset } from './load';
export { builtinDatasetSource } from './builtin';
export { formatImportReport } from './report';
export { DatasetError } from './errors';
export type { FrontEnd } from './errors';
export { DEFAULT_LIMITS } from './limits';
export type { ImportLimits } from './limits';
