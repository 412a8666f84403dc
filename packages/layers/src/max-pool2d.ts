import { Module, NntkError } from '@nntk/core';
import * as tf from '@tensorflow/tfjs-core';
import { pair, shapeError } from './internal/parameters';

/** Max pooling over NHWC images, PyTorch's `nn.MaxPool2d` (stride defaults to the kernel size; padding with −∞). */
export class MaxPool2d extends Module {
  readonly kernelSize: [number, number];
  readonly stride: [number, number];
  readonly padding: [number, number];

  constructor(
    kernelSize: number | [number, number],
    options: { stride?: number | [number, number]; padding?: number | [number, number] } = {},
  ) {
    super();
    this.kernelSize = pair('MaxPool2d', 'kernelSize', kernelSize, 1);
    this.stride = pair('MaxPool2d', 'stride', options.stride ?? kernelSize, 1);
    this.padding = pair('MaxPool2d', 'padding', options.padding ?? 0, 0);
    if (this.padding[0] * 2 > this.kernelSize[0] || this.padding[1] * 2 > this.kernelSize[1]) {
      throw new NntkError(
        'INVALID_OPTION',
        `MaxPool2d: padding [${this.padding}] must be at most half the kernel size [${this.kernelSize}]`,
      );
    }
  }

  forward(x: tf.Tensor): tf.Tensor {
    if (x.rank !== 4) shapeError(`MaxPool2d(${this.kernelSize.join('x')})`, '[N, H, W, C] (NHWC)', x.shape);
    return tf.tidy(() => {
      const [ph, pw] = this.padding;
      const input =
        ph || pw
          ? tf.pad(
              x as tf.Tensor4D,
              [
                [0, 0],
                [ph, ph],
                [pw, pw],
                [0, 0],
              ],
              Number.NEGATIVE_INFINITY,
            )
          : (x as tf.Tensor4D);
      return tf.maxPool(input, this.kernelSize, this.stride, 'valid');
    });
  }

  override extraRepr(): string {
    return `kernelSize=[${this.kernelSize}], stride=[${this.stride}], padding=[${this.padding}]`;
  }
}
