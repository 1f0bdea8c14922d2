/**
 * importDataset: detect the source, reuse the cache when the fingerprint
 * and options match, otherwise import into a temporary folder inside the
 * cache root and rename it into place. A failed or aborted import leaves
 * nothing behind.
 */
import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { importOptionsSchema } from '../../shared/dataset';
import type { DatasetManifest, ImportOptions } from '../../shared/dataset';
import { builtinDatasetSource } from './builtin';
import { MANIFEST_FILE, readCacheState } from './cache';
import { cacheId } from './cache-id';
import { DiskBudget, isDiskFull } from './disk-budget';
import { DatasetError } from './errors';
import type { FrontEnd } from './errors';
import type { ImportJob } from './job';
import { resolveLimits } from './limits';
import type { ImportLimits } from './limits';
import { makeScratchDir, removeStaleScratch } from './scratch';
import { planSource } from './sources/plan';

export interface ImportProgress {
  phase: string;
  done: number;
  total?: number;
}

export interface ImportContext {
  /** Folder holding one subfolder per cached dataset (created when missing). */
  cacheRoot: string;
  /** Called as the import advances: on each phase change, then at most about ten times a second. */
  onProgress?: (progress: ImportProgress) => void;
  signal?: AbortSignal;
  /** Overrides of the archive and image size caps (tests use tiny ones). */
  limits?: Partial<ImportLimits>;
  /** Who shows the errors: their hints name CLI flags or studio fields (default 'gui'). */
  frontEnd?: FrontEnd;
}

export interface ImportResult {
  /** The cache folder: pass it to loadDataset. */
  dir: string;
  manifest: DatasetManifest;
  /** True when an earlier import of the unchanged source was reused. */
  cached: boolean;
}

const PROGRESS_INTERVAL_MS = 100;

function throttled(onProgress?: (p: ImportProgress) => void): ImportJob['progress'] {
  let last = 0;
  let lastPhase = '';
  return (phase, done, total) => {
    if (!onProgress) return;
    const now = Date.now();
    // Phase changes and completions always get through; steps within a phase are rate-limited.
    if (phase === lastPhase && done !== total && now - last < PROGRESS_INTERVAL_MS) return;
    last = now;
    lastPhase = phase;
    onProgress({ phase, done, total });
  };
}

/**
 * The cached import in `dir`, or undefined when there is none or it is damaged (it is then
 * replaced). One that cannot be read (permission) throws: a good cache must never be replaced.
 */
async function existingCache(dir: string): Promise<DatasetManifest | undefined> {
  const state = await readCacheState(dir);
  return 'manifest' in state ? state.manifest : undefined;
}

/** Imports (or reuses the cached import of) the dataset at `source`. */
export async function importDataset(source: string, options: ImportOptions, ctx: ImportContext): Promise<ImportResult> {
  try {
    return await importOrReuse(source, options, ctx);
  } catch (error) {
    const explained = diskFull(error, ctx.cacheRoot) ?? error;
    throw explained instanceof DatasetError ? explained.speakTo(ctx.frontEnd ?? 'gui') : explained;
  }
}

/** The disk filling up anyway (something else wrote to it meanwhile), said as the import's error rather than a system code. */
function diskFull(error: unknown, cacheRoot: string): DatasetError | undefined {
  if (!isDiskFull(error)) return undefined;
  return new DatasetError(`The disk holding the dataset cache (${resolve(cacheRoot)}) is full; the import was undone.`, {
    cli: 'Free some space on that disk, or keep the datasets on a larger disk (GAN_STUDIO_HOME, or inspect-data --cache DIR).',
    gui: 'Free some space on that disk, or keep the datasets on a larger disk (set GAN_STUDIO_HOME before starting the studio).',
  });
}

async function importOrReuse(source: string, options: ImportOptions, ctx: ImportContext): Promise<ImportResult> {
  const parsedOptions = importOptionsSchema.safeParse(options);
  if (!parsedOptions.success) {
    const issue = parsedOptions.error.issues[0];
    throw new DatasetError(`Invalid import option ${issue?.path.join('.') || ''}: ${issue?.message ?? 'unknown problem'}.`, {
      cli: '--size and --mixed-size must be 4–1024, --channels 1 or 3, --background a #rrggbb colour, --max-images a positive whole number.',
      gui: '"Resize to" must be 4–1024 pixels, "Max images" a positive whole number.',
    });
  }
  const resolvedOptions = parsedOptions.data;
  ctx.signal?.throwIfAborted();
  const progress = throttled(ctx.onProgress);
  const path = resolve(source);
  progress('scan', 0);
  const plan = await planSource(path, ctx.signal);
  const cacheRoot = resolve(ctx.cacheRoot);
  const id = cacheId(plan.name, plan.fingerprint, resolvedOptions);
  const dir = join(cacheRoot, id);

  const hit = await existingCache(dir);
  if (hit) return { dir, manifest: hit, cached: true };
  await mkdir(cacheRoot, { recursive: true });
  // A killed import cannot clean up after itself: the next one does.
  await removeStaleScratch(cacheRoot);
  // A folder that exists but fails the checks is a damaged earlier import: replace it.
  await rm(dir, { recursive: true, force: true });

  const limits = resolveLimits(ctx.limits);
  const disk = await DiskBudget.of(cacheRoot, limits.keepFreeBytes);
  const outDir = await makeScratchDir(cacheRoot, `import-${id}`);
  try {
    const job: ImportJob = { options: resolvedOptions, limits, outDir, scratchRoot: cacheRoot, disk, signal: ctx.signal, progress };
    const outcome = await plan.run(job);
    ctx.signal?.throwIfAborted();
    const { result } = outcome;
    const isBuiltin = path === resolve(builtinDatasetSource());
    const manifest: DatasetManifest = {
      version: 1,
      id,
      name: outcome.name ?? plan.name,
      source: { path, kind: isBuiltin ? 'builtin' : outcome.kind, fingerprint: plan.fingerprint },
      count: result.count,
      width: result.width,
      height: result.height,
      channels: result.channels,
      hasLabels: result.hasLabels,
      classNames: result.classNames,
      classCounts: result.classCounts,
      skipped: result.skipped,
      ...(result.mixedSizes ? { mixedSizes: result.mixedSizes } : {}),
      options: resolvedOptions,
      createdAt: new Date().toISOString(),
    };
    await writeFile(join(outDir, MANIFEST_FILE), `${JSON.stringify(manifest, null, 2)}\n`);
    try {
      await rename(outDir, dir);
    } catch (error) {
      // Another import of the same source finished first: use its result.
      const other = await existingCache(dir);
      if (!other) throw error;
      await rm(outDir, { recursive: true, force: true });
      return { dir, manifest: other, cached: true };
    }
    progress('done', result.count, result.count);
    return { dir, manifest, cached: false };
  } catch (error) {
    await rm(outDir, { recursive: true, force: true });
    throw error;
  }
}
