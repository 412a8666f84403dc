import { check, getRng, invalidOption } from '@nntk/core';
import * as tf from '@tensorflow/tfjs-core';
import { type RandomOptions, sizeOf } from './internal/draw';
import { normalCdf, normalQuantile } from './internal/normal-quantile';

/**
 * Values from N(mean, std²) truncated to [a, b], with PyTorch's semantics (`trunc_normal_`): the bounds
 * are absolute values, not multiples of std (defaults mean 0, std 1, a −2, b 2). Sampled by inversion:
 * `x = mean + std·Φ⁻¹(U(Φ(α), Φ(β)))`, α = (a − mean)/std, β = (b − mean)/std.
 */
export function truncNormal(
  shape: number[],
  options: RandomOptions & { mean?: number; std?: number; a?: number; b?: number } = {},
): tf.Tensor {
  const mean = check.number('truncNormal', 'mean', options.mean ?? 0);
  const std = check.positive('truncNormal', 'std', options.std ?? 1);
  const a = options.a ?? -2;
  const b = options.b ?? 2;
  if (!(b > a)) invalidOption('truncNormal', 'b', b, `a number > a (${a})`);
  const low = normalCdf((a - mean) / std);
  const high = normalCdf((b - mean) / std);
  const rng = options.rng ?? getRng();
  const out = new Float32Array(sizeOf(shape));
  for (let i = 0; i < out.length; i++) {
    const value = mean + std * normalQuantile(low + (high - low) * rng.random());
    out[i] = Math.min(Math.max(value, a), b);
  }
  return tf.tensor(out, shape, 'float32');
}
