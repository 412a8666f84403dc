import { Rng } from '@nntk/core';
import * as tf from '@tensorflow/tfjs-core';

/** Sequences `[n, length, 2]` (value, marker) and their targets `[n, 1]`. */
export interface AddingData {
  x: tf.Tensor3D;
  y: tf.Tensor2D;
}

/**
 * The adding problem (Hochreiter and Schmidhuber 1997, experiment 4): each step carries a value drawn from
 * U(0, 1) and a marker; exactly two steps are marked, one in each half of the sequence, and the target is
 * the sum of the two marked values. Predicting the mean (1) without reading the sequence gives a mean
 * squared error of 1/6 ≈ 0.167; solving it needs memory across the whole sequence.
 */
export function addingProblem(n: number, length: number, seedValue: number): AddingData {
  const rng = new Rng(seedValue);
  const x = new Float32Array(n * length * 2);
  const y = new Float32Array(n);
  const half = Math.floor(length / 2);
  for (let i = 0; i < n; i++) {
    const first = rng.randint(half);
    const second = half + rng.randint(length - half);
    for (let t = 0; t < length; t++) {
      const value = rng.random();
      const at = (i * length + t) * 2;
      x[at] = value;
      if (t === first || t === second) {
        x[at + 1] = 1;
        y[i] += value;
      }
    }
  }
  return { x: tf.tensor3d(x, [n, length, 2]), y: tf.tensor2d(y, [n, 1]) };
}
