import { check, checkOptions, Module } from '@nntk/core';
import * as tf from '@tensorflow/tfjs-core';
import { pair, shapeError } from './internal/parameters';
import { checkPoolPadding, maxPoolNhwc, type PoolGeometry } from './internal/pooling';

export interface MaxPool2dOptions {
  /** Default: the kernel size. */
  stride?: number | [number, number];
  /** −∞ padding on each side, at most half the kernel. Default 0. */
  padding?: number | [number, number];
  /** Round the output size up (a last, partial window), as PyTorch's `ceil_mode`. Default false. */
  ceilMode?: boolean;
}

/**
 * Max pooling over NHWC images, PyTorch's `nn.MaxPool2d`: `y[i, j] = max` over the window at
 * `(i·s − p, j·s − p)`; stride defaults to the kernel size, padding is −∞. The output size is
 * `⌊(H + 2p − k)/s⌋ + 1`, or with `ceilMode` `⌈·⌉` as long as the last window starts inside the input or
 * the left padding.
 */
export class MaxPool2d extends Module {
  readonly kernelSize: [number, number];
  readonly stride: [number, number];
  readonly padding: [number, number];
  readonly ceilMode: boolean;

  constructor(kernelSize: number | [number, number], options: MaxPool2dOptions = {}) {
    super();
    checkOptions<MaxPool2dOptions>('MaxPool2d', options, { stride: true, padding: true, ceilMode: true });
    this.kernelSize = pair('MaxPool2d', 'kernelSize', kernelSize, 1);
    this.stride = pair('MaxPool2d', 'stride', options.stride ?? kernelSize, 1);
    this.padding = pair('MaxPool2d', 'padding', options.padding ?? 0, 0);
    this.ceilMode = check.boolean('MaxPool2d', 'ceilMode', options.ceilMode ?? false);
    checkPoolPadding('MaxPool2d', this.padding, this.kernelSize);
  }

  private geometry(): PoolGeometry {
    return {
      kernelSize: this.kernelSize,
      stride: this.stride,
      padding: this.padding,
      ceilMode: this.ceilMode,
    };
  }

  forward(x: tf.Tensor): tf.Tensor {
    const name = `MaxPool2d(${this.kernelSize.join('x')})`;
    if (x.rank !== 4) shapeError(name, '[N, H, W, C] (NHWC)', x.shape);
    return tf.tidy(() => maxPoolNhwc(name, x as tf.Tensor4D, this.geometry()));
  }

  override extraRepr(): string {
    return `kernelSize=[${this.kernelSize}], stride=[${this.stride}], padding=[${this.padding}]${this.ceilMode ? ', ceilMode=true' : ''}`;
  }
}
