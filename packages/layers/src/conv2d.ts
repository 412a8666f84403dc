import { Module, NntkError, type Parameter } from '@nntk/core';
import { kaimingUniform, uniform } from '@nntk/initializers';
import * as tf from '@tensorflow/tfjs-core';
import { isConstantInput } from './internal/gradient-tape';
import { checkSize, makeParameter, pair, shapeError, withBias } from './internal/parameters';

/** Padding as tfjs's convolutions take it. */
type ConvPadding = 'same' | 'valid' | tf.backend_util.ExplicitPadding;

/** A 0/1 matrix `[size·d − d + 1, size]` placing row i at row i·d. */
function spreadMatrix(size: number, d: number): tf.Tensor2D {
  const rows = (size - 1) * d + 1;
  const values = new Float32Array(rows * size);
  for (let i = 0; i < size; i++) values[i * d * size + i] = 1;
  return tf.tensor2d(values, [rows, size]);
}

/** The kernel of a dilated convolution as an ordinary one: `K'[i·dh, j·dw] = K[i, j]`, zeros between. */
function dilateKernel(kernel: tf.Tensor4D, [dh, dw]: [number, number]): tf.Tensor4D {
  const [kh, kw, cin, cout] = kernel.shape;
  const rowsSpread = tf.matMul(spreadMatrix(kh, dh), kernel.reshape([kh, kw * cin * cout]));
  const bh = (kh - 1) * dh + 1;
  const byColumn = tf
    .transpose(rowsSpread.reshape([bh, kw, cin * cout]), [1, 0, 2])
    .reshape([kw, bh * cin * cout]);
  const bw = (kw - 1) * dw + 1;
  const spread = tf.matMul(spreadMatrix(kw, dw), byColumn).reshape([bw, bh, cin, cout]);
  return tf.transpose(spread, [1, 0, 2, 3]) as tf.Tensor4D;
}

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
    this.inChannels = checkSize(owner, 'inChannels', inChannels);
    this.outChannels = checkSize(owner, 'outChannels', outChannels);
    this.kernelSize = pair(owner, 'kernelSize', kernelSize, 1);
    this.stride = pair(owner, 'stride', options.stride ?? 1, 1);
    this.dilation = pair(owner, 'dilation', options.dilation ?? 1, 1);
    const padding = options.padding ?? 0;
    this.padding = padding === 'same' || padding === 'valid' ? padding : pair(owner, 'padding', padding, 0);
    this.groups = checkSize(owner, 'groups', options.groups ?? 1);
    if (inChannels % this.groups !== 0 || outChannels % this.groups !== 0) {
      throw new NntkError(
        'INVALID_OPTION',
        `Conv2d: 'groups' (${this.groups}) must divide inChannels (${inChannels}) and outChannels (${outChannels})`,
      );
    }
    if (this.padding === 'same' && (this.stride[0] > 1 || this.stride[1] > 1)) {
      throw new NntkError('INVALID_OPTION', "Conv2d: padding 'same' needs stride 1 (as in PyTorch)");
    }
    const shape = [...this.kernelSize, inChannels / this.groups, outChannels];
    this.weight = makeParameter('weight', () => kaimingUniform(shape, { a: Math.sqrt(5) }));
    if (options.bias ?? true) {
      const bound = 1 / Math.sqrt((inChannels / this.groups) * this.kernelSize[0] * this.kernelSize[1]);
      this.bias = makeParameter('bias', () => uniform([outChannels], { a: -bound, b: bound }));
    }
  }

  private describe(): string {
    return `Conv2d(${this.inChannels} -> ${this.outChannels}, kernel ${this.kernelSize.join('x')})`;
  }

  forward(x: tf.Tensor): tf.Tensor {
    if (x.rank !== 4 || x.shape[3] !== this.inChannels)
      shapeError(this.describe(), `[N, H, W, ${this.inChannels}] (NHWC)`, x.shape);
    return tf.tidy(() => {
      const w =
        this.dilation[0] > 1 || this.dilation[1] > 1
          ? dilateKernel(this.weight as tf.Tensor4D, this.dilation)
          : (this.weight as tf.Tensor4D);
      const input = x as tf.Tensor4D;
      const pad = this.tfPadding();
      if (this.groups === 1 && this.bias && !isConstantInput(x)) {
        // One kernel for convolution and bias (XNNPACK adds the bias while it writes the output). Not
        // on the data batch: the fused op's gradient would compute the input gradient nobody needs.
        return tf.fused.conv2d({ x: input, filter: w, strides: this.stride, pad, bias: this.bias });
      }
      const y = this.convolve(input, w, pad);
      return withBias(y, this.bias);
    });
  }

  /** The padding as tfjs takes it: zero padding is passed to the convolution, never applied as a copy. */
  private tfPadding(): ConvPadding {
    if (this.padding === 'same' || this.padding === 'valid') return this.padding;
    const [ph, pw] = this.padding;
    if (ph === 0 && pw === 0) return 'valid';
    return [
      [0, 0],
      [ph, ph],
      [pw, pw],
      [0, 0],
    ];
  }

  private convolve(x: tf.Tensor4D, w: tf.Tensor4D, pad: ConvPadding): tf.Tensor4D {
    if (this.groups === 1) return tf.conv2d(x, w, this.stride, pad, 'NHWC');
    if (this.groups === this.inChannels) {
      const [kh, kw] = w.shape;
      const depthwise = w.reshape([
        kh,
        kw,
        this.inChannels,
        this.outChannels / this.inChannels,
      ]) as tf.Tensor4D;
      return tf.depthwiseConv2d(x, depthwise, this.stride, pad, 'NHWC');
    }
    const inputs = tf.split(x, this.groups, 3);
    const kernels = tf.split(w, this.groups, 3);
    return tf.concat(
      inputs.map((xi, g) =>
        tf.conv2d(xi as tf.Tensor4D, kernels[g] as tf.Tensor4D, this.stride, pad, 'NHWC'),
      ),
      3,
    ) as tf.Tensor4D;
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
