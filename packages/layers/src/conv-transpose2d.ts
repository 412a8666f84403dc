import { checkOptions, Module, NntkError, type Parameter } from '@nntk/core';
import { uniform } from '@nntk/initializers';
import * as tf from '@tensorflow/tfjs-core';
import { dilateKernel } from './internal/convolution';
import { checkSize, defaultBias, makeParameter, pair, shapeError, withBias } from './internal/parameters';

export interface ConvTranspose2dOptions {
  stride?: number | [number, number];
  /** Implicit zero padding `dilation·(k − 1) − padding` of the equivalent convolution. Default 0. */
  padding?: number | [number, number];
  /** Extra rows/columns on the bottom/right of the output, less than the stride. Default 0. */
  outputPadding?: number | [number, number];
  dilation?: number | [number, number];
  bias?: boolean;
}

/**
 * 2-D transposed convolution ("deconvolution", Zeiler et al. 2010; the gradient of `Conv2d` with respect
 * to its input) over NHWC images, PyTorch's `nn.ConvTranspose2d`: each input pixel scatters `x[i, j, c] ·
 * w[u, v, o, c]` to output `(i·s − p + u·d, j·s − p + v·d)`, giving
 * `H_out = (H − 1)·s − 2p + d·(k − 1) + outputPadding + 1`. Kernel `[kh, kw, outChannels, inChannels]`
 * (tfjs's `conv2dTranspose` layout; PyTorch's `weight.permute(2, 3, 1, 0)`), PyTorch's default
 * initialisation (kaiming-uniform `a = √5` with PyTorch's fan-in `outChannels·kh·kw`, bias U(±1/√fanIn)).
 */
export class ConvTranspose2d extends Module {
  readonly inChannels: number;
  readonly outChannels: number;
  readonly kernelSize: [number, number];
  readonly stride: [number, number];
  readonly padding: [number, number];
  readonly outputPadding: [number, number];
  readonly dilation: [number, number];
  weight: Parameter;
  bias?: Parameter;

  constructor(
    inChannels: number,
    outChannels: number,
    kernelSize: number | [number, number],
    options: ConvTranspose2dOptions = {},
  ) {
    super();
    const owner = 'ConvTranspose2d';
    checkOptions<ConvTranspose2dOptions>(owner, options, {
      stride: true,
      padding: true,
      outputPadding: true,
      dilation: true,
      bias: true,
    });
    this.inChannels = checkSize(owner, 'inChannels', inChannels);
    this.outChannels = checkSize(owner, 'outChannels', outChannels);
    this.kernelSize = pair(owner, 'kernelSize', kernelSize, 1);
    this.stride = pair(owner, 'stride', options.stride ?? 1, 1);
    this.padding = pair(owner, 'padding', options.padding ?? 0, 0);
    this.outputPadding = pair(owner, 'outputPadding', options.outputPadding ?? 0, 0);
    this.dilation = pair(owner, 'dilation', options.dilation ?? 1, 1);
    for (const axis of [0, 1]) {
      if (this.outputPadding[axis] >= this.stride[axis]) {
        throw new NntkError(
          'INVALID_OPTION',
          `${owner}: 'outputPadding' [${this.outputPadding}] must be smaller than the stride [${this.stride}]`,
        );
      }
      const reach = this.dilation[axis] * (this.kernelSize[axis] - 1);
      if (this.padding[axis] > reach) {
        throw new NntkError(
          'INVALID_OPTION',
          `${owner}: 'padding' [${this.padding}] must be at most dilation·(kernelSize − 1) [${reach}] on each axis`,
        );
      }
    }
    const [kh, kw] = this.kernelSize;
    // PyTorch's fan-in of the [in, out, kh, kw] weight is out·kh·kw.
    const fanIn = outChannels * kh * kw;
    const bound = 1 / Math.sqrt(fanIn);
    // kaiming-uniform with a = √5 is U(±1/√fanIn).
    this.weight = makeParameter('weight', () =>
      uniform([kh, kw, outChannels, inChannels], { a: -bound, b: bound }),
    );
    if (options.bias ?? true) this.bias = defaultBias(outChannels, fanIn);
  }

  /** The output height and width for an input of `h × w`. */
  outputSize(h: number, w: number): [number, number] {
    const size = (n: number, a: number) =>
      (n - 1) * this.stride[a] -
      2 * this.padding[a] +
      this.dilation[a] * (this.kernelSize[a] - 1) +
      this.outputPadding[a] +
      1;
    return [size(h, 0), size(w, 1)];
  }

  forward(x: tf.Tensor): tf.Tensor {
    if (x.rank !== 4 || x.shape[3] !== this.inChannels) {
      shapeError(
        `ConvTranspose2d(${this.inChannels} -> ${this.outChannels}, kernel ${this.kernelSize.join('x')})`,
        `[N, H, W, ${this.inChannels}] (NHWC)`,
        x.shape,
      );
    }
    const [n, h, w] = x.shape;
    const [oh, ow] = this.outputSize(h, w);
    return tf.tidy(() => {
      const dilated = this.dilation[0] > 1 || this.dilation[1] > 1;
      const kernel = dilated
        ? dilateKernel(this.weight as tf.Tensor4D, this.dilation)
        : (this.weight as tf.Tensor4D);
      const [ph, pw] = this.padding;
      // The gradient of a convolution over an [oh, ow] input with padding p: its output is [h, w] because
      // outputPadding < stride only adds rows no window of the forward convolution starts in.
      const y = tf.conv2dTranspose(x as tf.Tensor4D, kernel, [n, oh, ow, this.outChannels], this.stride, [
        [0, 0],
        [ph, ph],
        [pw, pw],
        [0, 0],
      ]);
      return withBias(y, this.bias);
    });
  }

  override extraRepr(): string {
    const extras = [
      `${this.inChannels}, ${this.outChannels}, kernelSize=[${this.kernelSize}]`,
      `stride=[${this.stride}]`,
      `padding=[${this.padding}]`,
    ];
    if (this.outputPadding[0] || this.outputPadding[1]) extras.push(`outputPadding=[${this.outputPadding}]`);
    if (this.dilation[0] > 1 || this.dilation[1] > 1) extras.push(`dilation=[${this.dilation}]`);
    if (!this.bias) extras.push('bias=false');
    return extras.join(', ');
  }
}
