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
import { plural } from '../../../shared/plural';

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

/** Image files a browser may send as one dataset (the server's importers read these). */
const IMAGE_FILE = /\.(png|jpe?g|webp|gif|tiff?)$/i;

/** What each host takes by drop or picker, in the words the drop zone and the Datasets page use. */
export const ACCEPTS = isElectron
  ? 'a folder of images, a zip / tar archive, or a dataset file (CIFAR, IDX, NPY)'
  : 'a zip / tar archive, a dataset file (CIFAR, IDX, NPY), or several images at once (they become one dataset)';

/** Import dropped or picked files; `isFolder` says which came from a folder drop. */
export function importFiles(files: File[], isFolder: boolean[] = []): Promise<void> {
  if (files.length === 0) return Promise.resolve();
  if (files.length > 1) return importSeveral(files, isFolder);
  const file = files[0]!;
  const electronPath = isElectron ? studio.pathForFile?.(file) : undefined;
  if (electronPath) return importPath(electronPath);
  if (isFolder[0]) {
    importer.error = new StudioError({
      name: 'ImportError',
      message: `Expected a file, got the folder “${file.name}”: a browser cannot upload folders.`,
      hint: 'Zip the folder and drop the zip, select its images and drop those, or type the folder’s path on the server.',
    });
    return Promise.resolve();
  }
  return run(`Importing ${file.name}`, async () => {
    importer.stage = `Uploading ${file.name}`;
    const { path } = await uploadFile(file, (done, total) => {
      importer.upload = { done, total };
    });
    importer.upload = undefined;
    importer.stage = `Importing ${file.name}`;
    return studio.importDataset(path, cleanOptions());
  });
}

/** Several files: in a browser, images uploaded into one folder and imported as one dataset; anything else is refused with what to do. */
function importSeveral(files: File[], isFolder: boolean[]): Promise<void> {
  const others = files.filter((file, i) => isFolder[i] || !IMAGE_FILE.test(file.name));
  if (isElectron || others.length > 0) {
    importer.error = new StudioError({
      name: 'ImportError',
      message: isElectron
        ? `Expected one folder or archive, got ${files.length} items.`
        : `Several files import together only when all are images; ${others.map((f) => `“${f.name}”`).slice(0, 3).join(', ')} ${others.length === 1 ? 'is' : 'are'} not.`,
      hint: isElectron ? 'Put the images in a folder and drop the folder, or drop one archive.' : 'Drop the images alone, or one archive at a time.',
    });
    return Promise.resolve();
  }
  const batch = [...crypto.getRandomValues(new Uint8Array(8))].map((b) => b.toString(16).padStart(2, '0')).join('');
  const total = files.reduce((sum, file) => sum + file.size, 0);
  return run(`Importing ${plural(files.length, 'image')}`, async () => {
    let sent = 0;
    let folder = '';
    for (const [i, file] of files.entries()) {
      importer.stage = `Uploading ${plural(files.length, 'image')} (${i + 1} / ${files.length})`;
      ({ folder } = await uploadFile(file, (done) => (importer.upload = { done: sent + done, total }), batch));
      sent += file.size;
    }
    importer.upload = undefined;
    importer.stage = `Importing ${plural(files.length, 'image')}`;
    return studio.importDataset(folder, cleanOptions());
  });
}
