import { describe, expect, it } from 'vitest';
import { allowedDocLink, DOC_LINKS } from './doc-links';

describe('allowedDocLink', () => {
  it('allows each listed documentation page, returning the list’s own string', () => {
    for (const link of DOC_LINKS) expect(allowedDocLink(`${link}`)).toBe(link);
  });

  it.each([
    'https://evil.example/',
    'https://www.tensorflow.org/tutorials/generative/dcgan?next=https://evil.example',
    'https://www.tensorflow.org/tutorials/generative/dcgan#x',
    'https://www.tensorflow.org.evil.example/tutorials/generative/dcgan',
    'http://www.cs.toronto.edu/~kriz/cifar.html',
    'file:///etc/passwd',
    'javascript:alert(1)',
    '',
  ])('refuses %s', (url) => {
    expect(allowedDocLink(url)).toBeUndefined();
  });
});
