/**
 * Between the studio and its short-lived probe process (probe-entry.ts):
 * how it is asked for the doctor, and the one message it answers with. Kept
 * apart from the entry, which runs on import.
 */
import type { BackendReport } from '../shared/backends';

/** The argument that makes the probe run the doctor instead of a plain backend selection. */
export const DOCTOR_ARG = '--doctor';

/** `--forced=<backend>`: the probe activates exactly that backend (as `--backend` asks) instead of auto's pick. */
export const FORCED_ARG_PREFIX = '--forced=';

/** What the probe sends its parent: one message, then it exits. */
export type ProbeMessage<Report = BackendReport> = { ok: true; report: Report } | { ok: false; message: string };
