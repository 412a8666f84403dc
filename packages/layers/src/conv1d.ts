import { checkOptions, Module, type Parameter } from '@nntk/core';
import * as tf from '@tensorflow/tfjs-core';
import { checkConvGeometry, convolveNhwc } from './internal/convolution';
import { checkSize, defaultBias, defaultWeight, shapeError, single } from './internal/parameters';

export interface Conv1dOptions {
  stride?: number;
  /** Zero padding on each side, or `'same'` (stride 1; an even total split left-low as PyTorch) / `'valid'`. Default 0. */
  padding?: number | 'same' | 'valid';
  dilation?: number;
  groups?: number;
  bias?: boolean;
}

/**
 * 1-D convolution over channels-last sequences `[N, L, C]` (nntk's NHWC convention; PyTorch's `nn.Conv1d`
 * takes `[N, C, L]`): `y[t, o] = b[o] + Σ_j Σ_c w[j, c, o] · x[t·s − p + j·d, c]` over the channels of the
 * group of `o`. Kernel `[kernelSize, inChannels/groups, outChannels]` (PyTorch's `weight.permute(2, 1, 0)`),
 * PyTorch's default initialisation (kaiming-uniform `a = √5`, bias U(±1/√fanIn)). Runs as a 2-D
 * convolution over a height-1 image.
 */
export class Conv1d extends Module {
  readonly inChannels: number;
  readonly outChannels: number;
  readonly kernelSize: number;
  readonly stride: number;
  readonly padding: number | 'same' | 'valid';
  readonly dilation: number;
  readonly groups: number;
  weight: Parameter;
  bias?: Parameter;

  constructor(inChannels: number, outChannels: number, kernelSize: number, options: Conv1dOptions = {}) {
    super();
    const owner = 'Conv1d';
    checkOptions<Conv1dOptions>(owner, options, {
      stride: true,
      padding: true,
      dilation: true,
      groups: true,
      bias: true,
    });
    this.inChannels = checkSize(owner, 'inChannels', inChannels);
    this.outChannels = checkSize(owner, 'outChannels', outChannels);
    this.kernelSize = single(owner, 'kernelSize', kernelSize, 1);
    this.stride = single(owner, 'stride', options.stride ?? 1, 1);
    this.dilation = single(owner, 'dilation', options.dilation ?? 1, 1);
    const padding = options.padding ?? 0;
    this.padding = padding === 'same' || padding === 'valid' ? padding : single(owner, 'padding', padding, 0);
    this.groups = checkSize(owner, 'groups', options.groups ?? 1);
    checkConvGeometry(owner, {
      inChannels,
      outChannels,
      groups: this.groups,
      padding: this.padding,
      stride: [this.stride],
    });
    const shape = [this.kernelSize, inChannels / this.groups, outChannels];
    this.weight = defaultWeight(shape);
    if (options.bias ?? true)
      this.bias = defaultBias(outChannels, (inChannels / this.groups) * this.kernelSize);
  }

  forward(x: tf.Tensor): tf.Tensor {
    if (x.rank !== 3 || x.shape[2] !== this.inChannels) {
      shapeError(
        `Conv1d(${this.inChannels} -> ${this.outChannels}, kernel ${this.kernelSize})`,
        `[N, L, ${this.inChannels}] (channels last)`,
        x.shape,
      );
    }
    const [n, length] = x.shape;
    return tf.tidy(() => {
      const p = this.padding;
      const y = convolveNhwc(
        x.reshape([n, 1, length, this.inChannels]),
        this.weight.reshape([1, ...this.weight.shape]),
        this.bias,
        {
          stride: [1, this.stride],
          padding: p === 'same' || p === 'valid' ? p : [0, p],
          dilation: [1, this.dilation],
          groups: this.groups,
        },
      );
      return y.reshape([n, y.shape[2], this.outChannels]);
    });
  }

  override extraRepr(): string {
    const extras = [
      `${this.inChannels}, ${this.outChannels}, kernelSize=${this.kernelSize}`,
      `stride=${this.stride}`,
    ];
    if (this.padding !== 0 && this.padding !== 'valid')
      extras.push(`padding=${typeof this.padding === 'number' ? this.padding : `'${this.padding}'`}`);
    if (this.dilation > 1) extras.push(`dilation=${this.dilation}`);
    if (this.groups > 1) extras.push(`groups=${this.groups}`);
    if (!this.bias) extras.push('bias=false');
    return extras.join(', ');
  }
}
