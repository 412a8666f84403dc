import { Module } from '@nntk/core';
import * as tf from '@tensorflow/tfjs-core';
import { pair, shapeError } from './internal/parameters';

/**
 * Average pooling over NHWC images, PyTorch's `nn.AvgPool2d`: zero padding counted in the average by
 * default (`countIncludePad`), or averages over the real elements only.
 */
export class AvgPool2d extends Module {
  readonly kernelSize: [number, number];
  readonly stride: [number, number];
  readonly padding: [number, number];
  readonly countIncludePad: boolean;

  constructor(
    kernelSize: number | [number, number],
    options: {
      stride?: number | [number, number];
      padding?: number | [number, number];
      countIncludePad?: boolean;
    } = {},
  ) {
    super();
    this.kernelSize = pair('AvgPool2d', 'kernelSize', kernelSize, 1);
    this.stride = pair('AvgPool2d', 'stride', options.stride ?? kernelSize, 1);
    this.padding = pair('AvgPool2d', 'padding', options.padding ?? 0, 0);
    this.countIncludePad = options.countIncludePad ?? true;
  }

  forward(x: tf.Tensor): tf.Tensor {
    if (x.rank !== 4) shapeError(`AvgPool2d(${this.kernelSize.join('x')})`, '[N, H, W, C] (NHWC)', x.shape);
    return tf.tidy(() => {
      const [ph, pw] = this.padding;
      const paddings: [number, number][] = [
        [0, 0],
        [ph, ph],
        [pw, pw],
        [0, 0],
      ];
      const pool = (t: tf.Tensor4D) =>
        tf.avgPool(ph || pw ? tf.pad(t, paddings) : t, this.kernelSize, this.stride, 'valid');
      const summed = pool(x as tf.Tensor4D);
      if (this.countIncludePad || (!ph && !pw)) return summed;
      // Divide by the fraction of each window that lies inside the image.
      const [, h, w] = x.shape as number[];
      const inside = pool(tf.ones([1, h, w, 1]));
      return tf.div(summed, inside);
    });
  }

  override extraRepr(): string {
    return `kernelSize=[${this.kernelSize}], stride=[${this.stride}], padding=[${this.padding}]`;
  }
}
