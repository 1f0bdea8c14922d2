/**
 * What the UI says about a failed or crashed run, one entry per failure
 * kind: a title, what to try next, and whether resuming can help (bad input
 * would fail the same way, so a new variant is offered instead). The record
 * is typed over FailureKind, so a new kind cannot be added without its words.
 */
import type { BackendName } from './backends';
import type { FailureKind } from './trainer-protocol';

export interface FailureNotice {
  title: string;
  advice: string;
  /** Resuming would fail the same way: offer New variant instead of Resume. */
  resumeFails: boolean;
  /** A backend to offer resuming on as well, when the failure was the GPU's (lost, or out of its memory). */
  resumeOn?: BackendName;
}

/** Backends whose memory is a GPU's: out of it, the CPU's larger memory is a way on. */
const GPU_BACKENDS: ReadonlySet<string> = new Set<BackendName>(['webgpu', 'tfjs-node-gpu']);
/** Where a run goes on when its GPU failed: the CPU backend every install has. */
const CPU_FALLBACK: BackendName = 'wasm';

const NOTICES: Record<FailureKind | 'crashed', FailureNotice> = {
  'bad-input': {
    title: 'The run cannot start with this input',
    advice: 'Resuming would fail the same way. Start a new variant with the settings or dataset fixed as the message says.',
    resumeFails: true,
  },
  nan: {
    title: 'Training diverged: a loss became NaN',
    advice: 'Lower the learning rates or the batch size, then resume from the last checkpoint (or start a variant).',
    resumeFails: false,
  },
  'out-of-memory': {
    title: 'Out of memory',
    advice: 'Use a smaller batch size or filter scale, or a lighter backend, then start a variant.',
    resumeFails: false,
  },
  'disk-full': {
    title: 'The disk is full',
    advice: 'Free some space on the disk that holds the runs folder, then resume: training continues from the last checkpoint.',
    resumeFails: false,
  },
  'gpu-device-lost': {
    title: 'The GPU stopped working',
    advice: 'Resume continues from the last checkpoint on a new GPU device. If the GPU keeps failing, resume on the CPU (wasm) instead.',
    resumeFails: false,
  },
  crashed: {
    title: 'The trainer process crashed',
    advice: 'Resume restarts training from the last complete checkpoint; nothing saved before it is lost.',
    resumeFails: false,
  },
  error: {
    title: 'Training failed',
    advice: 'Resume restarts training from the last complete checkpoint; nothing saved before it is lost.',
    resumeFails: false,
  },
};

/**
 * The notice for a run's `failure.kind` (a string in run.json: older or unknown kinds get the
 * closest words), else its status; `backend`: the backend it failed on.
 */
export function failureNotice(kind: string | undefined, status: string, backend?: string): FailureNotice {
  const notice = noticeOf((kind ?? status).toLowerCase(), status);
  const gpuFailed = notice === NOTICES['gpu-device-lost'] || (notice === NOTICES['out-of-memory'] && backend !== undefined && GPU_BACKENDS.has(backend));
  return gpuFailed ? { ...notice, resumeOn: CPU_FALLBACK } : notice;
}

function noticeOf(key: string, status: string): FailureNotice {
  if (key in NOTICES) return NOTICES[key as keyof typeof NOTICES];
  if (key.includes('nan')) return NOTICES.nan;
  if (key.includes('memory') || key.includes('oom')) return NOTICES['out-of-memory'];
  return status === 'crashed' ? NOTICES.crashed : NOTICES.error;
}
