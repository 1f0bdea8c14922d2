/** Arrays Slurm accepts: indices below MaxArraySize, the rest in further arrays. */
import { describe, expect, it } from 'vitest';
import { splitForArrays } from './submit';

describe('splitForArrays', () => {
  it('keeps every index below MaxArraySize and covers every run once', () => {
    expect(splitForArrays(1000, 1001)).toEqual([{ start: 0, count: 1000 }]);
    expect(splitForArrays(1001, 1001)).toEqual([{ start: 0, count: 1001 }]);
    expect(splitForArrays(2500, 1001)).toEqual([
      { start: 0, count: 1001 },
      { start: 1001, count: 1001 },
      { start: 2002, count: 498 },
    ]);
    expect(splitForArrays(5, 3)).toEqual([
      { start: 0, count: 3 },
      { start: 3, count: 2 },
    ]);
  });
});
