import { Module } from '@nntk/core';
import * as tf from '@tensorflow/tfjs-core';
import { pair, shapeError } from './internal/parameters';

/** The averaging matrix `[out, size]` of PyTorch's adaptive bins: `[⌊i·size/out⌋, ⌈(i+1)·size/out⌉)`. */
function binMatrix(size: number, out: number): tf.Tensor2D {
  const values = new Float32Array(out * size);
  for (let i = 0; i < out; i++) {
    const start = Math.floor((i * size) / out);
    const end = Math.ceil(((i + 1) * size) / out);
    for (let j = start; j < end; j++) values[i * size + j] = 1 / (end - start);
  }
  return tf.tensor2d(values, [out, size]);
}

/**
 * Adaptive average pooling to a fixed `outputSize` over NHWC images, PyTorch's `nn.AdaptiveAvgPool2d`
 * (same bins, so uneven sizes match too). Computed as two small matrix products.
 */
export class AdaptiveAvgPool2d extends Module {
  readonly outputSize: [number, number];

  constructor(outputSize: number | [number, number]) {
    super();
    this.outputSize = pair('AdaptiveAvgPool2d', 'outputSize', outputSize, 1);
  }

  forward(x: tf.Tensor): tf.Tensor {
    if (x.rank !== 4)
      shapeError(`AdaptiveAvgPool2d(${this.outputSize.join('x')})`, '[N, H, W, C] (NHWC)', x.shape);
    const [n, h, w, c] = x.shape;
    const [oh, ow] = this.outputSize;
    return tf.tidy(() => {
      // [N, H, W, C] -> [N, C, H, W] -> pool W -> pool H -> [N, oh, ow, C]
      const byChannel = tf.transpose(x, [0, 3, 1, 2]).reshape([n * c * h, w]);
      const pooledW = tf.matMul(byChannel, binMatrix(w, ow), false, true).reshape([n * c, h, ow]);
      const byRow = tf.transpose(pooledW, [0, 2, 1]).reshape([n * c * ow, h]);
      const pooled = tf.matMul(byRow, binMatrix(h, oh), false, true).reshape([n, c, ow, oh]);
      return tf.transpose(pooled, [0, 3, 2, 1]);
    });
  }

  override extraRepr(): string {
    return `outputSize=[${this.outputSize}]`;
  }
}
