import * as tf from '@tensorflow/tfjs-core';

interface MaxPoolGradAttrs {
  filterSize: [number, number] | number;
  strides: [number, number] | number;
  pad: 'valid' | 'same' | number;
  dimRoundingMode?: 'floor' | 'round' | 'ceil';
}

/** Spreads `[N, oh, ow, C]` onto a grid with stride `s` (zeros between): `[N, oh·sh, ow·sw, C]`. */
function spread(t: tf.Tensor4D, sh: number, sw: number): tf.Tensor4D {
  const [n, oh, ow, c] = t.shape;
  const grid = tf.pad(t.reshape([n, oh, 1, ow, 1, c]), [
    [0, 0],
    [0, 0],
    [0, sh - 1],
    [0, 0],
    [0, sw - 1],
    [0, 0],
  ]);
  return grid.reshape([n, oh * sh, ow * sw, c]);
}

/**
 * The max-pool gradient, routed to the first maximal element of each window in row-major order (the
 * element PyTorch's and tfjs's cpu backend pick). One pass per kernel offset: compare the strided view of
 * the input with the pooled output, give the gradient to matches not yet claimed, and place it back.
 */
export function maxPoolGrad(
  dy: tf.Tensor4D,
  input: tf.Tensor4D,
  output: tf.Tensor4D,
  attrs: MaxPoolGradAttrs,
): tf.Tensor4D {
  return tf.tidy(() => {
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
    // Pad so every window and every spread-back position fits.
    const fullH = Math.max(top + height, (oh - 1) * sh + fh, oh * sh + fh);
    const fullW = Math.max(left + width, (ow - 1) * sw + fw, ow * sw + fw);
    const padded = tf.pad(
      input,
      [
        [0, 0],
        [top, fullH - top - height],
        [left, fullW - left - width],
        [0, 0],
      ],
      Number.NEGATIVE_INFINITY,
    );
    let unclaimed = tf.onesLike(output).cast('bool');
    let dx = tf.zeros([n, fullH, fullW, c]);
    for (let i = 0; i < fh; i++) {
      for (let j = 0; j < fw; j++) {
        const view = tf.stridedSlice(
          padded,
          [0, i, j, 0],
          [n, i + (oh - 1) * sh + 1, j + (ow - 1) * sw + 1, c],
          [1, sh, sw, 1],
        );
        const hit = tf.logicalAnd(tf.equal(view, output), unclaimed);
        unclaimed = tf.logicalAnd(unclaimed, tf.logicalNot(hit));
        const share = spread(tf.mul(dy, tf.cast(hit, 'float32')), sh, sw);
        const [, spreadH, spreadW] = share.shape;
        dx = tf.add(
          dx,
          tf.pad(share, [
            [0, 0],
            [i, fullH - i - spreadH],
            [j, fullW - j - spreadW],
            [0, 0],
          ]),
        );
      }
    }
    return tf.slice(dx, [0, top, left, 0], [n, height, width, c]) as tf.Tensor4D;
  });
}
