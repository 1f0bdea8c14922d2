/** Run directory read/write: run.json, metrics, samples, listing. */
export { writeFileAtomic, writeJsonAtomic } from './atomic';
export { cannotRead, describeFsError, errorCode, isDiskFull, isPermissionDenied } from '../common/fs-errors';
export { describeJsonlDamage, parseJsonl, readJsonl, type JsonlDamage } from './jsonl';
export { JsonlAppender } from './jsonl-appender';
export { readArmRuns } from './arm-runs';
export { listRuns, type RunListEntry } from './list-runs';
export {
  createRunDir,
  listSamples,
  pruneSamplesAfter,
  readRunJsonl,
  readRunMetrics,
  readRunRecord,
  RUN_FILES,
  RUN_JSONL,
  type RunJsonlName,
  RunDirError,
  sampleFileName,
  truncateRunMetrics,
  updateRunRecord,
  writeRunRecord,
  type SampleFile,
} from './run-dir';
export { isValidRunId, newRunId } from './run-id';
