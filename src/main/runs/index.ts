/** Run directory read/write: run.json, metrics, samples, listing. */
export { writeFileAtomic, writeJsonAtomic } from './atomic';
export { cannotRead, describeFsError, errorCode, isDiskFull } from './fs-errors';
export { JsonlError, parseJsonl, readJsonl } from './jsonl';
export { JsonlAppender } from './jsonl-appender';
export { readArmRuns } from './arm-runs';
export { listRuns, type RunListEntry } from './list-runs';
export {
  createRunDir,
  listSamples,
  pruneSamplesAfter,
  readRunMetrics,
  readRunRecord,
  RUN_FILES,
  RunDirError,
  sampleFileName,
  truncateRunMetrics,
  updateRunRecord,
  writeRunRecord,
  type SampleFile,
} from './run-dir';
export { isValidRunId, newRunId } from './run-id';
export { readRunScores } from './scores-file';
