/**
 * Dataset import from any entry point: the window-wide drop zone, the file
 * picker, a typed path, or the built-in sample. Under Electron a dropped file
 * resolves to its real path; in a browser it is uploaded first.
 */
import type { DatasetInfo } from '../../../shared/api';
import type { ImportOptions } from '../../../shared/dataset';
import { isElectron, studio } from './api';
import { refreshDatasets, studioState } from './studio-state.svelte';
import { StudioError } from './studio-error';
import { uploadFile } from './upload';

export const importer = $state({
  busy: false,
  /** What is happening now, for the progress label. */
  stage: '',
  upload: undefined as { done: number; total: number } | undefined,
  error: undefined as unknown,
  /** The dataset the last import produced (its report is shown). */
  result: undefined as DatasetInfo | undefined,
  options: { size: undefined, channels: undefined, maxImages: undefined } as Pick<ImportOptions, 'size' | 'channels' | 'maxImages'>,
});

function cleanOptions(): ImportOptions | undefined {
  const { size, channels, maxImages } = importer.options;
  const options: ImportOptions = {};
  if (size) options.size = size;
  if (channels) options.channels = channels;
  if (maxImages) options.maxImages = maxImages;
  return Object.keys(options).length > 0 ? options : undefined;
}

async function run(stage: string, work: () => Promise<DatasetInfo>): Promise<void> {
  if (importer.busy) return;
  importer.busy = true;
  importer.stage = stage;
  importer.error = undefined;
  importer.upload = undefined;
  try {
    importer.result = await work();
    await refreshDatasets();
  } catch (error) {
    importer.error = error;
  } finally {
    importer.busy = false;
    importer.upload = undefined;
    // A failed import sends no final progress event; drop its entry so it cannot linger.
    for (const operation of Object.keys(studioState.progress)) {
      if (operation.startsWith('Importing')) delete studioState.progress[operation];
    }
  }
}

/** Import the dataset that ships with the studio. */
export function importBuiltin(): Promise<void> {
  return run('Importing the built-in sample', () => studio.importBuiltinDataset());
}

/** Import a path on the machine that trains. */
export function importPath(path: string): Promise<void> {
  return run(`Importing ${path}`, () => studio.importDataset(path, cleanOptions()));
}

/** Import dropped or picked files; `isFolder` says which came from a folder drop. */
export function importFiles(files: File[], isFolder: boolean[] = []): Promise<void> {
  if (files.length !== 1) {
    importer.error = new StudioError({
      name: 'ImportError',
      message: `Expected one folder, image or archive, got ${files.length} items.`,
      hint: 'Drop one folder or archive at a time; put loose images in a folder (or a zip) first.',
    });
    return Promise.resolve();
  }
  const file = files[0]!;
  const electronPath = isElectron ? studio.pathForFile?.(file) : undefined;
  if (electronPath) return importPath(electronPath);
  if (isFolder[0]) {
    importer.error = new StudioError({
      name: 'ImportError',
      message: `Expected a file, got the folder “${file.name}”: a browser cannot upload folders.`,
      hint: 'Zip the folder and drop the zip, or type the folder’s path on the server.',
    });
    return Promise.resolve();
  }
  return run(`Importing ${file.name}`, async () => {
    importer.stage = `Uploading ${file.name}`;
    const path = await uploadFile(file, (done, total) => {
      importer.upload = { done, total };
    });
    importer.upload = undefined;
    importer.stage = `Importing ${file.name}`;
    return studio.importDataset(path, cleanOptions());
  });
}
