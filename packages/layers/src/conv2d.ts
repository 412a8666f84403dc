import { checkOptions, Module, type Parameter } from '@nntk/core';
import * as tf from '@tensorflow/tfjs-core';
import { checkConvGeometry, convolveNhwc } from './internal/convolution';
import { checkSize, defaultBias, defaultWeight, pair, shapeError } from './internal/parameters';

export interface Conv2dOptions {
  stride?: number | [number, number];
  /** Zero padding on each side, or `'same'` (stride 1) / `'valid'`. Default 0. */
  padding?: number | [number, number] | 'same' | 'valid';
  dilation?: number | [number, number];
  groups?: number;
  bias?: boolean;
}

/**
 * 2-D convolution over NHWC images with kernel `[kh, kw, inChannels/groups, outChannels]`, PyTorch's
 * options and default initialisation (kaiming-uniform `a = √5`, bias U(±1/√fanIn)). Grouped
 * convolutions run as one depthwise convolution when `groups = inChannels`, otherwise per group.
 */
export class Conv2d extends Module {
  readonly inChannels: number;
  readonly outChannels: number;
  readonly kernelSize: [number, number];
  readonly stride: [number, number];
  readonly padding: [number, number] | 'same' | 'valid';
  readonly dilation: [number, number];
  readonly groups: number;
  weight: Parameter;
  bias?: Parameter;

  constructor(
    inChannels: number,
    outChannels: number,
    kernelSize: number | [number, number],
    options: Conv2dOptions = {},
  ) {
    super();
    const owner = 'Conv2d';
    checkOptions<Conv2dOptions>(owner, options, {
      stride: true,
      padding: true,
      dilation: true,
      groups: true,
      bias: true,
    });
    this.inChannels = checkSize(owner, 'inChannels', inChannels);
    this.outChannels = checkSize(owner, 'outChannels', outChannels);
    this.kernelSize = pair(owner, 'kernelSize', kernelSize, 1);
    this.stride = pair(owner, 'stride', options.stride ?? 1, 1);
    this.dilation = pair(owner, 'dilation', options.dilation ?? 1, 1);
    const padding = options.padding ?? 0;
    this.padding = padding === 'same' || padding === 'valid' ? padding : pair(owner, 'padding', padding, 0);
    this.groups = checkSize(owner, 'groups', options.groups ?? 1);
    checkConvGeometry(owner, {
      inChannels,
      outChannels,
      groups: this.groups,
      padding: this.padding,
      stride: this.stride,
    });
    const shape = [...this.kernelSize, inChannels / this.groups, outChannels];
    this.weight = defaultWeight(shape);
    if (options.bias ?? true)
      this.bias = defaultBias(
        outChannels,
        (inChannels / this.groups) * this.kernelSize[0] * this.kernelSize[1],
      );
  }

  private describe(): string {
    return `Conv2d(${this.inChannels} -> ${this.outChannels}, kernel ${this.kernelSize.join('x')})`;
  }

  forward(x: tf.Tensor): tf.Tensor {
    if (x.rank !== 4 || x.shape[3] !== this.inChannels)
      shapeError(this.describe(), `[N, H, W, ${this.inChannels}] (NHWC)`, x.shape);
    return tf.tidy(() =>
      convolveNhwc(x as tf.Tensor4D, this.weight as tf.Tensor4D, this.bias, {
        stride: this.stride,
        padding: this.padding,
        dilation: this.dilation,
        groups: this.groups,
      }),
    );
  }

  override extraRepr(): string {
    const extras = [
      `${this.inChannels}, ${this.outChannels}, kernelSize=[${this.kernelSize}]`,
      `stride=[${this.stride}]`,
    ];
    if (this.padding !== 'valid')
      extras.push(`padding=${Array.isArray(this.padding) ? `[${this.padding}]` : `'${this.padding}'`}`);
    if (this.groups > 1) extras.push(`groups=${this.groups}`);
    if (!this.bias) extras.push('bias=false');
    return extras.join(', ');
  }
}
