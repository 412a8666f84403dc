import { check, checkOptions, Module } from '@nntk/core';
import * as tf from '@tensorflow/tfjs-core';
import { pair, shapeError } from './internal/parameters';
import { avgPoolNhwc, checkPoolPadding, type PoolGeometry } from './internal/pooling';

export interface AvgPool2dOptions {
  /** Default: the kernel size. */
  stride?: number | [number, number];
  /** Zero padding on each side, at most half the kernel. Default 0. */
  padding?: number | [number, number];
  /** Round the output size up (a last, partial window), as PyTorch's `ceil_mode`. Default false. */
  ceilMode?: boolean;
  /** Count the zero padding in each window's divisor. Default true. */
  countIncludePad?: boolean;
}

/**
 * Average pooling over NHWC images, PyTorch's `nn.AvgPool2d`: each window's sum divided by its size
 * including the zero padding (`countIncludePad`, the default) or by the number of real elements. With
 * `ceilMode` the output size rounds up, the last window must start inside the input or the left padding,
 * and the part of a window beyond the padding is never counted (PyTorch's rule).
 */
export class AvgPool2d extends Module {
  readonly kernelSize: [number, number];
  readonly stride: [number, number];
  readonly padding: [number, number];
  readonly ceilMode: boolean;
  readonly countIncludePad: boolean;

  constructor(kernelSize: number | [number, number], options: AvgPool2dOptions = {}) {
    super();
    checkOptions<AvgPool2dOptions>('AvgPool2d', options, {
      stride: true,
      padding: true,
      ceilMode: true,
      countIncludePad: true,
    });
    this.kernelSize = pair('AvgPool2d', 'kernelSize', kernelSize, 1);
    this.stride = pair('AvgPool2d', 'stride', options.stride ?? kernelSize, 1);
    this.padding = pair('AvgPool2d', 'padding', options.padding ?? 0, 0);
    this.ceilMode = check.boolean('AvgPool2d', 'ceilMode', options.ceilMode ?? false);
    this.countIncludePad = check.boolean('AvgPool2d', 'countIncludePad', options.countIncludePad ?? true);
    checkPoolPadding('AvgPool2d', this.padding, this.kernelSize);
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
    const name = `AvgPool2d(${this.kernelSize.join('x')})`;
    if (x.rank !== 4) shapeError(name, '[N, H, W, C] (NHWC)', x.shape);
    return tf.tidy(() => avgPoolNhwc(name, x as tf.Tensor4D, this.geometry(), this.countIncludePad));
  }

  override extraRepr(): string {
    return `kernelSize=[${this.kernelSize}], stride=[${this.stride}], padding=[${this.padding}]${this.ceilMode ? ', ceilMode=true' : ''}`;
  }
}
