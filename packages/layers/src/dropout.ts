import { check, checkOptions, getRng, Module, type Rng } from '@nntk/core';
import * as tf from '@tensorflow/tfjs-core';

/**
 * Dropout (Srivastava et al. 2014), PyTorch's `nn.Dropout`: in training, zeroes each element with
 * probability `p` and scales the rest by `1/(1 − p)`; the identity in eval mode. Masks come from nntk's
 * seeded generator (or the `rng` given), so runs repeat exactly.
 */
export class Dropout extends Module {
  readonly p: number;
  private readonly _rng?: Rng;

  constructor(p = 0.5, options: { rng?: Rng } = {}) {
    super();
    checkOptions('Dropout', options, { rng: true });
    this.p = check.inRange('Dropout', 'p', p, 0, 1, true);
    this._rng = options.rng;
  }

  forward(x: tf.Tensor): tf.Tensor {
    if (!this.training || this.p === 0) return x.clone();
    if (this.p === 1) return tf.zerosLike(x);
    return tf.tidy(() =>
      tf.mul(x, tf.mul((this._rng ?? getRng()).bernoulli(x.shape, 1 - this.p), 1 / (1 - this.p))),
    );
  }

  override extraRepr(): string {
    return `p=${this.p}`;
  }
}
