import { NntkError } from '@nntk/core';

/** The confusion matrix `m[true][predicted]` of label arrays, checking every label is in `[0, C)`. */
export function confusionCounts(
  owner: string,
  predicted: ArrayLike<number>,
  actual: ArrayLike<number>,
  numClasses: number,
): number[][] {
  const matrix = Array.from({ length: numClasses }, () => new Array<number>(numClasses).fill(0));
  for (let i = 0; i < predicted.length; i++) {
    const [t, p] = [actual[i], predicted[i]];
    if (t < 0 || t >= numClasses || p < 0 || p >= numClasses) {
      throw new NntkError(
        'INVALID_OPTION',
        `${owner}: label ${t < 0 || t >= numClasses ? t : p} is outside [0, ${numClasses})`,
      );
    }
    matrix[t][p] += 1;
  }
  return matrix;
}
