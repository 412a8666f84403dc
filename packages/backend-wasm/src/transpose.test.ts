import { describe, expect, it } from 'vitest';
import { asMatrixTranspose } from './transpose';

describe('asMatrixTranspose', () => {
  it('reads 2-D, batched and merged-axis permutations as matrix transposes', () => {
    expect(asMatrixTranspose([4, 6], [1, 0])).toEqual({ batch: 1, rows: 4, cols: 6 });
    expect(asMatrixTranspose([2, 3, 4, 5], [0, 1, 3, 2])).toEqual({ batch: 6, rows: 4, cols: 5 });
    // [a, b, c] → [c, a, b] is the [a·b, c] matrix transposed.
    expect(asMatrixTranspose([2, 3, 4], [2, 0, 1])).toEqual({ batch: 1, rows: 6, cols: 4 });
    expect(asMatrixTranspose([2, 3, 4, 5], [0, 3, 1, 2])).toEqual({ batch: 2, rows: 12, cols: 5 });
  });

  it('leaves identities and other permutations to the general kernel', () => {
    expect(asMatrixTranspose([2, 3], [0, 1])).toBeUndefined();
    expect(asMatrixTranspose([2, 3, 4, 5], [3, 1, 2, 0])).toBeUndefined();
    expect(asMatrixTranspose([2, 3, 4], [1, 0, 2])).toBeUndefined();
  });
});
