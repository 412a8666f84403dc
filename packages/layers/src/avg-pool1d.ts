import { check, checkOptions, Module } from '@nntk/core';
import * as tf from '@tensorflow/tfjs-core';
import { shapeError, single } from './internal/parameters';
import { avgPoolNhwc, checkPoolPadding } from './internal/pooling';

export interface AvgPool1dOptions {
  /** Default: the kernel size. */
  stride?: number;
  /** Zero padding on each side, at most half the kernel. Default 0. */
  padding?: number;
  /** Round the output length up (a last, partial window), as PyTorch's `ceil_mode`. Default false. */
  ceilMode?: boolean;
  /** Count the zero padding in each window's divisor. Default true. */
  countIncludePad?: boolean;
}

/**
 * Average pooling over sequences `[N, L, C]` (channels last), PyTorch's `nn.AvgPool1d`:
 * `y[t] = (1/d) Σ_{0 ≤ j < k} x[t·s − p + j]` with zero padding, `d = k` (`countIncludePad`, the
 * default; in ceil mode the overhang beyond the padding is not counted) or the number of real elements.
 */
export class AvgPool1d extends Module {
  readonly kernelSize: number;
  readonly stride: number;
  readonly padding: number;
  readonly ceilMode: boolean;
  readonly countIncludePad: boolean;

  constructor(kernelSize: number, options: AvgPool1dOptions = {}) {
    super();
    const owner = 'AvgPool1d';
    checkOptions<AvgPool1dOptions>(owner, options, {
      stride: true,
      padding: true,
      ceilMode: true,
      countIncludePad: true,
    });
    this.kernelSize = single(owner, 'kernelSize', kernelSize, 1);
    this.stride = single(owner, 'stride', options.stride ?? kernelSize, 1);
    this.padding = single(owner, 'padding', options.padding ?? 0, 0);
    this.ceilMode = check.boolean(owner, 'ceilMode', options.ceilMode ?? false);
    this.countIncludePad = check.boolean(owner, 'countIncludePad', options.countIncludePad ?? true);
    checkPoolPadding(owner, [this.padding], [this.kernelSize]);
  }

  forward(x: tf.Tensor): tf.Tensor {
    const name = `AvgPool1d(${this.kernelSize})`;
    if (x.rank !== 3) shapeError(name, '[N, L, C] (channels last)', x.shape);
    const [n, length, c] = x.shape;
    return tf.tidy(() => {
      const geometry = {
        kernelSize: [1, this.kernelSize] as [number, number],
        stride: [1, this.stride] as [number, number],
        padding: [0, this.padding] as [number, number],
        ceilMode: this.ceilMode,
      };
      const y = avgPoolNhwc(name, x.reshape([n, 1, length, c]), geometry, this.countIncludePad);
      return y.reshape([n, y.shape[2], c]);
    });
  }

  override extraRepr(): string {
    return `kernelSize=${this.kernelSize}, stride=${this.stride}, padding=${this.padding}${this.ceilMode ? ', ceilMode=true' : ''}`;
  }
}
