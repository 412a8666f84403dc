import { check, checkOptions, Module } from '@nntk/core';
import * as tf from '@tensorflow/tfjs-core';
import { shapeError, single } from './internal/parameters';
import { checkPoolPadding, maxPoolNhwc } from './internal/pooling';

export interface MaxPool1dOptions {
  /** Default: the kernel size. */
  stride?: number;
  /** −∞ padding on each side, at most half the kernel. Default 0. */
  padding?: number;
  /** Round the output length up (a last, partial window), as PyTorch's `ceil_mode`. Default false. */
  ceilMode?: boolean;
}

/**
 * Max pooling over sequences `[N, L, C]` (channels last), PyTorch's `nn.MaxPool1d`:
 * `y[t] = max_{0 ≤ j < k} x[t·s − p + j]` with −∞ padding; output length `⌊(L + 2p − k)/s⌋ + 1`, or with
 * `ceilMode` `⌈·⌉` as long as the last window starts inside the input or the left padding.
 */
export class MaxPool1d extends Module {
  readonly kernelSize: number;
  readonly stride: number;
  readonly padding: number;
  readonly ceilMode: boolean;

  constructor(kernelSize: number, options: MaxPool1dOptions = {}) {
    super();
    const owner = 'MaxPool1d';
    checkOptions<MaxPool1dOptions>(owner, options, { stride: true, padding: true, ceilMode: true });
    this.kernelSize = single(owner, 'kernelSize', kernelSize, 1);
    this.stride = single(owner, 'stride', options.stride ?? kernelSize, 1);
    this.padding = single(owner, 'padding', options.padding ?? 0, 0);
    this.ceilMode = check.boolean(owner, 'ceilMode', options.ceilMode ?? false);
    checkPoolPadding(owner, [this.padding], [this.kernelSize]);
  }

  forward(x: tf.Tensor): tf.Tensor {
    const name = `MaxPool1d(${this.kernelSize})`;
    if (x.rank !== 3) shapeError(name, '[N, L, C] (channels last)', x.shape);
    const [n, length, c] = x.shape;
    return tf.tidy(() => {
      const y = maxPoolNhwc(name, x.reshape([n, 1, length, c]), {
        kernelSize: [1, this.kernelSize],
        stride: [1, this.stride],
        padding: [0, this.padding],
        ceilMode: this.ceilMode,
      });
      return y.reshape([n, y.shape[2], c]);
    });
  }

  override extraRepr(): string {
    return `kernelSize=${this.kernelSize}, stride=${this.stride}, padding=${this.padding}${this.ceilMode ? ', ceilMode=true' : ''}`;
  }
}
