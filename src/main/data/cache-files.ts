/** The two data files of a dataset cache folder, beside manifest.json (uint8, as loadDataset reads them). */
export const IMAGES_FILE = 'images.u8';
export const LABELS_FILE = 'labels.u8';
