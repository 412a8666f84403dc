import { check, checkOptionNames, Module, NntkError, type Parameter, type Rng } from '@nntk/core';
import { xavierUniform } from '@nntk/initializers';
import * as tf from '@tensorflow/tfjs-core';
import { dropoutIn } from './internal/dropout-mask';
import { checkSize, makeParameter, shapeError, withBias } from './internal/parameters';
import { Linear } from './linear';

/** Options of {@link MultiheadAttention}, PyTorch's `nn.MultiheadAttention` keyword arguments camelCased. */
export interface MultiheadAttentionOptions {
  /** Dropout probability on the attention weights in training (default 0). */
  dropout?: number;
  /** Whether the input and output projections have biases (default true). */
  bias?: boolean;
  /** Inputs and outputs are `[N, L, E]` instead of PyTorch's default `[L, N, E]` (default false). */
  batchFirst?: boolean;
  /** The generator for dropout masks (default: nntk's global one). */
  rng?: Rng;
}

/** The per-call arguments of {@link MultiheadAttention.forward}, as PyTorch's keyword arguments. */
export interface AttentionCallOptions {
  /**
   * `[N, S]` (or `[S]` unbatched): a bool mask where `true` marks a key to ignore, or a float mask added to
   * the attention scores.
   */
  keyPaddingMask?: tf.Tensor;
  /**
   * `[L, S]` or `[N·numHeads, L, S]`: a bool mask where `true` forbids attending, or a float mask added to
   * the attention scores.
   */
  attnMask?: tf.Tensor;
  /** Also return the attention weights (default true, as PyTorch). */
  needWeights?: boolean;
  /** Return the weights averaged over heads `[N, L, S]` (default) or per head `[N, numHeads, L, S]`. */
  averageAttnWeights?: boolean;
}

const OPTIONS = ['dropout', 'bias', 'batchFirst', 'rng'] as const;
const CALL_OPTIONS = ['keyPaddingMask', 'attnMask', 'needWeights', 'averageAttnWeights'] as const;

/**
 * Multi-head scaled dot-product attention (Vaswani et al. 2017, "Attention Is All You Need", §3.2),
 * PyTorch's `nn.MultiheadAttention` (embedding sizes of key and value equal to `embedDim`):
 *
 *   `[Q | K | V] = [q Wq + bq | k Wk + bk | v Wv + bv]`, with `[Wq | Wk | Wv] = inProjWeight`,
 *   `head_h = softmax(Q_h K_hᵀ / √d + M) V_h` for each of `numHeads` heads of width `d = embedDim / numHeads`,
 *   `out = [head_1 | … | head_H] Wo + bo` (`outProj`),
 *
 * where `M` adds `−∞` where a bool mask is true and the values of a float mask. Dropout, in training, acts
 * on the softmax weights (and the returned weights are the dropped-out ones, as PyTorch's).
 *
 * Parameters, in nntk's `[in, out]` layout: `inProjWeight` `[E, 3E]` is PyTorch's `in_proj_weight`
 * transposed, `inProjBias` `[3E]` is `in_proj_bias`, `outProj.weight` `[E, E]` is `out_proj.weight`
 * transposed and `outProj.bias` is `out_proj.bias`. Initialised as PyTorch: `inProjWeight` Xavier-uniform,
 * both biases zero, `outProj.weight` as a `Linear`.
 */
export class MultiheadAttention extends Module {
  readonly embedDim: number;
  readonly numHeads: number;
  readonly headDim: number;
  readonly dropout: number;
  readonly batchFirst: boolean;
  inProjWeight: Parameter;
  inProjBias?: Parameter;
  outProj: Linear;
  private readonly _rng?: Rng;

  constructor(embedDim: number, numHeads: number, options: MultiheadAttentionOptions = {}) {
    super();
    checkOptionNames('MultiheadAttention', options, OPTIONS);
    this.embedDim = checkSize('MultiheadAttention', 'embedDim', embedDim);
    this.numHeads = checkSize('MultiheadAttention', 'numHeads', numHeads);
    if (embedDim % numHeads !== 0) {
      throw new NntkError(
        'INVALID_OPTION',
        `MultiheadAttention: 'embedDim' (${embedDim}) must be divisible by 'numHeads' (${numHeads})`,
      );
    }
    this.headDim = embedDim / numHeads;
    this.dropout = check.inRange('MultiheadAttention', 'dropout', options.dropout ?? 0, 0, 1);
    this.batchFirst = check.boolean('MultiheadAttention', 'batchFirst', options.batchFirst ?? false);
    const bias = check.boolean('MultiheadAttention', 'bias', options.bias ?? true);
    this._rng = options.rng;
    this.inProjWeight = makeParameter('inProjWeight', () => xavierUniform([embedDim, 3 * embedDim]));
    if (bias) this.inProjBias = makeParameter('inProjBias', () => tf.zeros([3 * embedDim]));
    this.outProj = new Linear(embedDim, embedDim, { bias });
    const outBias = this.outProj.bias;
    if (outBias) tf.tidy(() => outBias.assign(tf.zerosLike(outBias)));
  }

  /**
   * Attends from `query` to `key`/`value` (self-attention when they are omitted): `[L, N, E]`, `[S, N, E]`
   * (`[N, L, E]`, `[N, S, E]` with `batchFirst`), or unbatched `[L, E]`, `[S, E]`. Returns PyTorch's pair
   * `[output, weights]`: output shaped as `query`, weights `[N, L, S]` (averaged over heads) or
   * `[N, numHeads, L, S]`, undefined when `needWeights` is false.
   */
  forward(
    query: tf.Tensor,
    key: tf.Tensor = query,
    value: tf.Tensor = key,
    options: AttentionCallOptions = {},
  ): [tf.Tensor, tf.Tensor | undefined] {
    checkOptionNames('MultiheadAttention.forward', options, CALL_OPTIONS);
    this.checkInputs(query, key, value);
    const needWeights = options.needWeights ?? true;
    const batched = query.rank === 3;
    const result = tf.tidy(() => {
      const toBatchFirst = (t: tf.Tensor) =>
        batched ? (this.batchFirst ? t : tf.transpose(t, [1, 0, 2])) : t.expandDims(0);
      const [q, k, v] = this.project(
        toBatchFirst(query),
        toBatchFirst(key),
        toBatchFirst(value),
        query,
        key,
        value,
      );
      const [n, l] = q.shape;
      const s = k.shape[1] as number;
      const mask = this.additiveMask(options, n, l, s, batched);
      const weights = this.attentionWeights(q, k, mask);
      const heads = tf.matMul(weights, this.splitHeads(v));
      const merged = tf.transpose(heads, [0, 2, 1, 3]).reshape([n, l, this.embedDim]);
      const out = this.outProj.forward(merged);
      const output = batched ? (this.batchFirst ? out : tf.transpose(out, [1, 0, 2])) : out.squeeze([0]);
      if (!needWeights) return [output];
      const shown = (options.averageAttnWeights ?? true) ? tf.mean(weights, 1) : weights;
      return [output, batched ? shown : shown.squeeze([0])];
    });
    return [result[0], result[1]];
  }

  private checkInputs(query: tf.Tensor, key: tf.Tensor, value: tf.Tensor): void {
    const name = `MultiheadAttention(${this.embedDim}, ${this.numHeads})`;
    const layout = this.batchFirst ? '[N, L, E]' : '[L, N, E]';
    const e = this.embedDim;
    for (const t of [query, key, value]) {
      if ((t.rank !== 3 && t.rank !== 2) || t.shape[t.rank - 1] !== e)
        shapeError(name, `${layout} or [L, E] with E = ${e}`, t.shape);
    }
    const batchAxis = this.batchFirst ? 0 : 1;
    const sameBatch = query.rank === 2 || query.shape[batchAxis] === key.shape[batchAxis];
    if (key.rank !== query.rank || !tf.util.arraysEqual(key.shape, value.shape) || !sameBatch) {
      throw new NntkError(
        'SHAPE_MISMATCH',
        `${name}: key and value must have the same shape, and the batch size and rank of query; got query [${query.shape}], key [${key.shape}], value [${value.shape}]`,
      );
    }
  }

  /** The input projections `[N, L|S, E]` (one product for self-attention, as PyTorch's packed projection). */
  private project(
    q: tf.Tensor,
    k: tf.Tensor,
    v: tf.Tensor,
    query: tf.Tensor,
    key: tf.Tensor,
    value: tf.Tensor,
  ): tf.Tensor[] {
    const e = this.embedDim;
    if (key === query && value === query) {
      return tf.split(dense(q, this.inProjWeight, this.inProjBias), 3, -1);
    }
    return [q, k, v].map((x, i) =>
      dense(
        x,
        tf.slice(this.inProjWeight, [0, i * e], [e, e]),
        this.inProjBias && tf.slice(this.inProjBias, [i * e], [e]),
      ),
    );
  }

  /** `[N, T, E]` → `[N, numHeads, T, headDim]`. */
  private splitHeads(x: tf.Tensor): tf.Tensor {
    const [n, t] = x.shape;
    return tf.transpose(x.reshape([n, t, this.numHeads, this.headDim]), [0, 2, 1, 3]);
  }

  /** softmax(Q Kᵀ/√d + M) per head, `[N, numHeads, L, S]`, with dropout in training. */
  private attentionWeights(q: tf.Tensor, k: tf.Tensor, mask: tf.Tensor | undefined): tf.Tensor {
    const scores = tf.matMul(
      tf.mul(this.splitHeads(q), 1 / Math.sqrt(this.headDim)),
      this.splitHeads(k),
      false,
      true,
    );
    const weights = tf.softmax(mask ? tf.add(scores, mask) : scores);
    return dropoutIn(weights, this.dropout, this.training, this._rng);
  }

  /** Both masks as one float mask broadcastable to `[N, numHeads, L, S]`, or undefined. */
  private additiveMask(
    options: AttentionCallOptions,
    n: number,
    l: number,
    s: number,
    batched: boolean,
  ): tf.Tensor | undefined {
    const name = `MultiheadAttention(${this.embedDim}, ${this.numHeads})`;
    const parts: tf.Tensor[] = [];
    const { attnMask, keyPaddingMask } = options;
    if (attnMask) {
      const h = this.numHeads;
      if (attnMask.rank === 2 && tf.util.arraysEqual(attnMask.shape, [l, s])) {
        parts.push(asAdditive(attnMask).reshape([1, 1, l, s]));
      } else if (attnMask.rank === 3 && tf.util.arraysEqual(attnMask.shape, [n * h, l, s])) {
        parts.push(asAdditive(attnMask).reshape([n, h, l, s]));
      } else {
        throw new NntkError(
          'SHAPE_MISMATCH',
          `${name}: attnMask must be [L, S] = [${l}, ${s}] or [N·numHeads, L, S] = [${n * h}, ${l}, ${s}], got [${attnMask.shape}]`,
        );
      }
    }
    if (keyPaddingMask) {
      const expected = batched ? [n, s] : [s];
      if (!tf.util.arraysEqual(keyPaddingMask.shape, expected)) {
        throw new NntkError(
          'SHAPE_MISMATCH',
          `${name}: keyPaddingMask must be [${batched ? 'N, S' : 'S'}] = [${expected}], got [${keyPaddingMask.shape}]`,
        );
      }
      parts.push(asAdditive(keyPaddingMask).reshape([n, 1, 1, s]));
    }
    if (parts.length === 0) return undefined;
    return parts.length === 1 ? parts[0] : tf.add(parts[0], parts[1]);
  }

  override extraRepr(): string {
    return `embedDim=${this.embedDim}, numHeads=${this.numHeads}, dropout=${this.dropout}, bias=${this.inProjBias !== undefined}, batchFirst=${this.batchFirst}`;
  }
}

/** `x W + b` for `x` `[N, T, in]` and `W` `[in, out]`, as one 2-D product (tfjs's broadcast product has no batch-reducing gradient). */
function dense(x: tf.Tensor, w: tf.Tensor, b: tf.Tensor | undefined): tf.Tensor {
  const [n, t, width] = x.shape as [number, number, number];
  const y = withBias(tf.matMul(x.reshape([n * t, width]), w as tf.Tensor2D), b);
  return y.reshape([n, t, w.shape[1] as number]);
}

/** A bool mask (`true` = masked) as `0`/`−∞`; a float mask as it is. */
function asAdditive(mask: tf.Tensor): tf.Tensor {
  if (mask.dtype === 'bool')
    return tf.where(mask, tf.fill(mask.shape, Number.NEGATIVE_INFINITY), tf.zeros(mask.shape));
  if (mask.dtype === 'float32') return mask;
  throw new NntkError(
    'INVALID_OPTION',
    `MultiheadAttention: masks must be bool or float32 tensors, got ${mask.dtype} (PyTorch accepts only bool and float masks too)`,
  );
}
