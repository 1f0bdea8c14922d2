/**
 * The only pages a studio window may open in the OS browser: the
 * documentation the studio cites (the DCGAN tutorial its tf-tutorial preset
 * follows, the datasets its importers read). An explicit list of exact URLs:
 * any other URL a page tries to open — a script's window.open, a middle-click
 * — is denied, so page content can never hand the OS an arbitrary link.
 */
export const DOC_LINKS = [
  'https://www.tensorflow.org/tutorials/generative/dcgan',
  'https://github.com/zalandoresearch/fashion-mnist',
  'https://www.cs.toronto.edu/~kriz/cifar.html',
] as const;

export type DocLink = (typeof DOC_LINKS)[number];

/** The allowlisted link `url` names exactly (the list's own string, not the caller's), else undefined. */
export function allowedDocLink(url: string): DocLink | undefined {
  return DOC_LINKS.find((link) => link === url);
}
