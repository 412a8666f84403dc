import * as tf from '@tensorflow/tfjs-core';

interface MaxPoolGradAttrs {
  filterSize: [number, number] | number;
  strides: [number, number] | number;
  pad: 'valid' | 'same' | number;
  dimRoundingMode?: 'floor' | 'round' | 'ceil';
}

/**
 * The max-pool gradient, routed to the first maximal element of each window in row-major order (the
 * element PyTorch and tfjs's cpu backend pick; tfjs's wasm kernel picks wrong ones). A window scan is
 * inherently a loop: it runs once over the values read from the wasm heap, O(N·oh·ow·C·k²).
 */
export function maxPoolGrad(dy: tf.Tensor4D, input: tf.Tensor4D, attrs: MaxPoolGradAttrs): tf.Tensor4D {
  const info = tf.backend_util.computePool2DInfo(
    input.shape,
    attrs.filterSize,
    attrs.strides,
    1,
    attrs.pad,
    attrs.dimRoundingMode,
  );
  const {
    strideHeight: sh,
    strideWidth: sw,
    filterHeight: fh,
    filterWidth: fw,
    outHeight: oh,
    outWidth: ow,
  } = info;
  const { top, left } = info.padInfo;
  const [n, height, width, c] = input.shape;
  const x = input.dataSync();
  const g = dy.dataSync();
  const dx = new Float32Array(x.length);
  for (let b = 0; b < n; b++) {
    for (let i = 0; i < oh; i++) {
      for (let j = 0; j < ow; j++) {
        const outBase = ((b * oh + i) * ow + j) * c;
        for (let ch = 0; ch < c; ch++) {
          let best = Number.NEGATIVE_INFINITY;
          let where = -1;
          for (let u = 0; u < fh; u++) {
            const row = i * sh + u - top;
            if (row < 0 || row >= height) continue;
            for (let v = 0; v < fw; v++) {
              const col = j * sw + v - left;
              if (col < 0 || col >= width) continue;
              const index = ((b * height + row) * width + col) * c + ch;
              if (x[index] > best || where < 0) {
                best = x[index];
                where = index;
              }
            }
          }
          if (where >= 0) dx[where] += g[outBase + ch];
        }
      }
    }
  }
  return tf.tensor4d(dx, input.shape);
}
