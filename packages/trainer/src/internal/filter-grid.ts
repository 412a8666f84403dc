import * as tf from '@tensorflow/tfjs-core';

/** First-layer filters laid out as one image (HWC, uint8). */
export interface FilterImage {
  /** The parameter's dotted name. */
  name: string;
  width: number;
  height: number;
  /** 3 when the filters see 3 input channels (shown as RGB), otherwise 1 (the mean over inputs). */
  channels: 1 | 3;
  pixels: Uint8Array;
}

/**
 * On the device: a conv weight `[kh, kw, in, out]` scaled to 0..255 by its own min and max, as
 * `[out, kh, kw, c]` with c = 3 for RGB inputs, else the mean over the input channels (c = 1).
 */
export function filterPixels(weight: tf.Tensor4D): tf.Tensor4D {
  return tf.tidy(() => {
    const [, , inputs] = weight.shape;
    const w = inputs === 3 ? weight : tf.mean(weight, 2, true);
    const min = tf.min(w);
    const scaled = tf.mul(tf.div(tf.sub(w, min), tf.maximum(tf.sub(tf.max(w), min), 1e-30)), 255);
    return tf.transpose(scaled, [3, 0, 1, 2]) as tf.Tensor4D;
  });
}

/** Lays `out` filters of `kh × kw × c` in a near-square grid, each pixel enlarged to `zoom²`, 1 px gaps. */
export function filterGrid(
  name: string,
  values: ArrayLike<number>,
  shape: [number, number, number, number],
): FilterImage {
  const [out, kh, kw, c] = shape;
  const zoom = Math.max(1, Math.floor(24 / Math.max(kh, kw)));
  const columns = Math.ceil(Math.sqrt(out));
  const rows = Math.ceil(out / columns);
  const cellH = kh * zoom + 1;
  const cellW = kw * zoom + 1;
  const height = rows * cellH + 1;
  const width = columns * cellW + 1;
  const pixels = new Uint8Array(height * width * c).fill(255);
  for (let f = 0; f < out; f++) {
    const top = Math.floor(f / columns) * cellH + 1;
    const left = (f % columns) * cellW + 1;
    for (let y = 0; y < kh * zoom; y++)
      for (let x = 0; x < kw * zoom; x++)
        for (let k = 0; k < c; k++) {
          const source = ((f * kh + Math.floor(y / zoom)) * kw + Math.floor(x / zoom)) * c + k;
          pixels[((top + y) * width + left + x) * c + k] = Math.round(values[source]);
        }
  }
  return { name, width, height, channels: c === 3 ? 3 : 1, pixels };
}
