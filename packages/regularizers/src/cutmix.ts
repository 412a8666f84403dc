import { check, getRng, NntkError, type Rng } from '@nntk/core';
import * as tf from '@tensorflow/tfjs-core';
import type { MixResult } from './mixup';
import { smoothLabels } from './smooth-labels';

/**
 * CutMix (Yun et al. 2019) on NHWC images: λ ~ Beta(α, α); a box of area (1 − λ)·H·W, centred uniformly
 * and clipped to the image, is pasted from a paired sample; λ is then corrected to the true kept area,
 * `1 − box area/(H·W)`, and the targets mixed with it.
 */
export function cutmix(
  x: tf.Tensor,
  y: tf.Tensor,
  options: { alpha?: number; numClasses: number; rng?: Rng },
): MixResult & { box: [number, number, number, number] } {
  if (x.rank !== 4)
    throw new NntkError(
      'SHAPE_MISMATCH',
      `cutmix: expected NHWC images [N, H, W, C], got [${x.shape.join(', ')}]`,
    );
  const alpha = check.positive('cutmix', 'alpha', options.alpha ?? 1);
  const rng = options.rng ?? getRng();
  const [n, h, w] = x.shape as number[];
  const sampled = rng.beta(alpha, alpha);
  const ratio = Math.sqrt(1 - sampled);
  const cy = rng.randint(h);
  const cx = rng.randint(w);
  const top = Math.max(0, Math.round(cy - (ratio * h) / 2));
  const bottom = Math.min(h, Math.round(cy + (ratio * h) / 2));
  const left = Math.max(0, Math.round(cx - (ratio * w) / 2));
  const right = Math.min(w, Math.round(cx + (ratio * w) / 2));
  const lambda = 1 - ((bottom - top) * (right - left)) / (h * w);
  const permutation = rng.permutation(n);
  return tf.tidy(() => {
    const mask = tf
      .pad(tf.ones([bottom - top, right - left]), [
        [top, h - bottom],
        [left, w - right],
      ])
      .reshape([1, h, w, 1]);
    const partner = tf.gather(x, tf.tensor1d(permutation, 'int32'));
    const mixedX = tf.add(tf.mul(x, tf.sub(1, mask)), tf.mul(partner, mask));
    const targets = smoothLabels(y, { numClasses: options.numClasses, smoothing: 0 });
    const mixedY = tf.add(
      tf.mul(targets, lambda),
      tf.mul(tf.gather(targets, tf.tensor1d(permutation, 'int32')), 1 - lambda),
    ) as tf.Tensor2D;
    return {
      x: mixedX,
      y: mixedY,
      lambda,
      permutation,
      box: [top, left, bottom, right] as [number, number, number, number],
    };
  });
}
