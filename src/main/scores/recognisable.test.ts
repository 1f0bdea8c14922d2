import { describe, expect, it } from 'vitest';
import { featureRows } from './features';
import { recognisable } from './recognisable';

describe('recognisable %', () => {
  it('counts confident real-class predictions only; "none of these" (last column) never counts', () => {
    const probabilities = featureRows([
      [0.9, 0.05, 0.05], // class 0, confident → recognisable
      [0.1, 0.85, 0.05], // class 1, confident → recognisable
      [0.5, 0.4, 0.1], // not confident
      [0.02, 0.03, 0.95], // none of these, confident → not recognisable
    ]);
    const result = recognisable(probabilities, 0.8);
    expect(result.value).toBe(50);
    // Binomial std of a 50% share over 4 samples: √(0.25/4) = 25%.
    expect(result.std).toBe(25);
    // The threshold is inclusive: 0.85 at 0.85 counts, at 0.86 it does not.
    expect(recognisable(probabilities, 0.85).value).toBe(50);
    expect(recognisable(probabilities, 0.86).value).toBe(25);
  });
});
