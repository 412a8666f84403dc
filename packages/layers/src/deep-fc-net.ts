import { check, checkOptions, Module, type Parameter } from '@nntk/core';
import { fixupScale, rezero } from '@nntk/initializers';
import * as tf from '@tensorflow/tfjs-core';
import { BatchNorm1d } from './batch-norm1d';
import { Dropout } from './dropout';
import { Identity } from './identity';
import { type ActivationName, makeActivation } from './internal/activation';
import { fusedForward } from './internal/fused-forward';
import { checkSize, makeParameter } from './internal/parameters';
import { LayerNorm } from './layer-norm';
import { Linear } from './linear';
import { ModuleList } from './module-list';

export interface DeepFCNetOptions {
  inputDim: number;
  width: number;
  /** Number of residual blocks (each with two Linear layers). */
  depth: number;
  outputDim: number;
  /** `'standard'`: post-activation residual blocks (He et al. 2016); `'rezero'`; `'fixup'`. */
  init?: 'standard' | 'rezero' | 'fixup';
  /** Normalisation inside standard blocks. Default `'none'`; ReZero and Fixup use none by design. */
  norm?: 'none' | 'batch' | 'layer';
  activation?: ActivationName;
  dropout?: number;
}

function normLayer(kind: 'none' | 'batch' | 'layer', width: number): Module {
  if (kind === 'batch') return new BatchNorm1d(width);
  if (kind === 'layer') return new LayerNorm(width);
  return new Identity();
}

/** One residual block of {@link DeepFCNet}: `Linear → act → [dropout] → Linear` on the branch. */
export class DeepFCBlock extends Module {
  readonly scheme: 'standard' | 'rezero' | 'fixup';
  linear1: Linear;
  linear2: Linear;
  norm1: Module;
  norm2: Module;
  activation: Module;
  dropout: Module;
  /** ReZero's gate α (starts at 0). */
  alpha?: Parameter;
  /** Fixup's scalar biases and multiplier. */
  bias1a?: Parameter;
  bias1b?: Parameter;
  bias2a?: Parameter;
  bias2b?: Parameter;
  scale?: Parameter;

  constructor(
    width: number,
    depth: number,
    options: Required<Pick<DeepFCNetOptions, 'init' | 'norm' | 'activation' | 'dropout'>>,
  ) {
    super();
    checkOptions('DeepFCBlock', options, { init: true, norm: true, activation: true, dropout: true });
    this.scheme = options.init;
    const fixup = this.scheme === 'fixup';
    this.linear1 = new Linear(width, width, { bias: !fixup });
    this.linear2 = new Linear(width, width, { bias: !fixup });
    const norm = this.scheme === 'standard' ? options.norm : 'none';
    this.norm1 = normLayer(norm, width);
    this.norm2 = normLayer(norm, width);
    this.activation = makeActivation('DeepFCNet', options.activation);
    this.dropout = options.dropout > 0 ? new Dropout(options.dropout) : new Identity();
    if (this.scheme === 'rezero') this.alpha = makeParameter('alpha', rezero);
    if (fixup) {
      // Fixup: the branch's first layer scaled by L^(−1/(2m−2)) (m = 2), its last layer zero.
      const scale = fixupScale(depth, 2);
      tf.tidy(() => this.linear1.weight.assign(tf.mul(this.linear1.weight, scale)));
      tf.tidy(() => this.linear2.weight.assign(tf.zerosLike(this.linear2.weight)));
      for (const name of ['bias1a', 'bias1b', 'bias2a', 'bias2b'] as const)
        this[name] = makeParameter(name, () => tf.scalar(0));
      this.scale = makeParameter('scale', () => tf.scalar(1));
    }
  }

  /** The residual branch F(x). */
  branch(x: tf.Tensor): tf.Tensor {
    return tf.tidy(() => {
      const run = (m: Module, t: tf.Tensor) => m.forward(t) as tf.Tensor;
      if (this.scheme === 'fixup') {
        const h = run(this.activation, tf.add(run(this.linear1, tf.add(x, this.bias1a!)), this.bias1b!));
        return tf.add(
          tf.mul(run(this.linear2, tf.add(run(this.dropout, h), this.bias2a!)), this.scale!),
          this.bias2b!,
        );
      }
      const first =
        fusedForward([this.linear1, this.norm1, this.activation], x) ??
        run(this.activation, run(this.norm1, run(this.linear1, x)));
      const h = run(this.dropout, first);
      return run(this.norm2, run(this.linear2, h));
    });
  }

  forward(x: tf.Tensor): tf.Tensor {
    return tf.tidy(() => {
      if (this.scheme === 'rezero') return tf.add(x, tf.mul(this.alpha!, this.branch(x)));
      return this.activation.forward(tf.add(x, this.branch(x))) as tf.Tensor;
    });
  }
}

/**
 * A deep residual fully connected network for depth studies: an input projection, `depth` residual
 * blocks of width `width`, and a linear head. `init` picks the scheme that makes depth trainable:
 * `'standard'` (optionally with BatchNorm/LayerNorm), `'rezero'` (Bachlechner et al. 2020: `x + α·F(x)`,
 * α = 0 at init, so the body is the identity), or `'fixup'` (Zhang et al. 2019: no normalisation, branch
 * layers rescaled, each branch's last layer and the head zero-initialised, scalar biases and multiplier).
 */
export class DeepFCNet extends Module {
  readonly options: Required<DeepFCNetOptions>;
  input: Linear;
  blocks: ModuleList;
  head: Linear;

  constructor(options: DeepFCNetOptions) {
    super();
    const owner = 'DeepFCNet';
    checkOptions<DeepFCNetOptions>(owner, options, {
      inputDim: true,
      width: true,
      depth: true,
      outputDim: true,
      init: true,
      norm: true,
      activation: true,
      dropout: true,
    });
    const full: Required<DeepFCNetOptions> = {
      init: 'standard',
      norm: 'none',
      activation: 'relu',
      dropout: 0,
      ...options,
    };
    checkSize(owner, 'inputDim', full.inputDim);
    checkSize(owner, 'width', full.width);
    checkSize(owner, 'depth', full.depth);
    checkSize(owner, 'outputDim', full.outputDim);
    check.oneOf(owner, 'init', full.init, ['standard', 'rezero', 'fixup']);
    check.oneOf(owner, 'norm', full.norm, ['none', 'batch', 'layer']);
    check.inRange(owner, 'dropout', full.dropout, 0, 1);
    this.options = full;
    this.input = new Linear(full.inputDim, full.width);
    this.blocks = new ModuleList(
      Array.from(
        { length: full.depth },
        () =>
          new DeepFCBlock(full.width, full.depth, {
            init: full.init,
            norm: full.norm,
            activation: full.activation,
            dropout: full.dropout,
          }),
      ),
    );
    this.head = new Linear(full.width, full.outputDim);
    if (full.init === 'fixup') {
      tf.tidy(() => {
        this.head.weight.assign(tf.zerosLike(this.head.weight));
        this.head.bias?.assign(tf.zerosLike(this.head.bias));
      });
    }
  }

  /** The input projection followed by the residual blocks (the representation before the head). */
  features(x: tf.Tensor): tf.Tensor {
    return tf.tidy(() =>
      [...this.blocks].reduce((h, block) => block.forward(h) as tf.Tensor, this.input.forward(x)),
    );
  }

  forward(x: tf.Tensor): tf.Tensor {
    return tf.tidy(() => this.head.forward(this.features(x)));
  }

  override extraRepr(): string {
    const o = this.options;
    return `inputDim=${o.inputDim}, width=${o.width}, depth=${o.depth}, outputDim=${o.outputDim}, init='${o.init}', norm='${o.norm}'`;
  }
}
