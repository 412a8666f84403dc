import { check, checkOptions, closestName, Module, NntkError, type Parameter, type Rng } from '@nntk/core';
import { uniform } from '@nntk/initializers';
import * as tf from '@tensorflow/tfjs-core';
import { Dropout } from '../dropout';
import { checkSize, makeParameter, shapeError } from './parameters';
import { gruStep, inputProjection, lstmStep, type RecurrentWeights } from './recurrent-steps';

export interface RecurrentOptions {
  /** Stacked layers, each reading the previous one's output sequence. Default 1. */
  numLayers?: number;
  /** Use `b_ih` and `b_hh`. Default true. */
  bias?: boolean;
  /** Input and output `[N, L, F]` instead of `[L, N, F]`. Default false (PyTorch's default). */
  batchFirst?: boolean;
  /** Dropout on the outputs of every layer but the last, in training. Default 0. */
  dropout?: number;
  /** Run a second pass from the end of the sequence; outputs concatenated `[forward, reverse]`. Default false. */
  bidirectional?: boolean;
  /** The generator for the dropout masks (default: nntk's global one). */
  rng?: Rng;
}

/**
 * `tf.unstack(t)` along axis 0. A length-1 axis is a reshape: tfjs's `Unpack` gradient fails for a single
 * output ("Argument tensors passed to stack must be a Tensor[]"), e.g. for a one-layer `h0` or a one-step
 * sequence.
 */
function unstackFirst(t: tf.Tensor): tf.Tensor[] {
  return t.shape[0] === 1 ? [t.reshape(t.shape.slice(1))] : tf.unstack(t);
}

/** The final states and the output sequence of a recurrent pass. */
interface RecurrentResult {
  output: tf.Tensor;
  h: tf.Tensor;
  c?: tf.Tensor;
}

/**
 * The multi-layer, optionally bidirectional recurrence shared by `LSTM` and `GRU`, with PyTorch's
 * parameter names camelCased (`weight_ih_l0` → `weightIh_l0`, `…_reverse`) and transposed to nntk's
 * `[in, out]` layout: `weightIh_lk` is `[inputs, gates·H]`, PyTorch's `weight_ih_lk.T`, gate blocks in
 * PyTorch's order along the last axis. All parameters start U(±1/√H), as PyTorch's.
 */
export abstract class RecurrentBase extends Module {
  readonly inputSize: number;
  readonly hiddenSize: number;
  readonly numLayers: number;
  readonly bias: boolean;
  readonly batchFirst: boolean;
  readonly dropout: number;
  readonly bidirectional: boolean;
  private readonly _kind: 'LSTM' | 'GRU';
  private readonly _weights: RecurrentWeights[] = [];
  private readonly _dropout: Dropout;

  protected constructor(
    kind: 'LSTM' | 'GRU',
    inputSize: number,
    hiddenSize: number,
    options: RecurrentOptions,
  ) {
    super();
    checkOptions<RecurrentOptions>(kind, options, {
      numLayers: true,
      bias: true,
      batchFirst: true,
      dropout: true,
      bidirectional: true,
      rng: true,
    });
    this._kind = kind;
    this.inputSize = checkSize(kind, 'inputSize', inputSize);
    this.hiddenSize = checkSize(kind, 'hiddenSize', hiddenSize);
    this.numLayers = checkSize(kind, 'numLayers', options.numLayers ?? 1);
    this.bias = check.boolean(kind, 'bias', options.bias ?? true);
    this.batchFirst = check.boolean(kind, 'batchFirst', options.batchFirst ?? false);
    this.dropout = check.inRange(kind, 'dropout', options.dropout ?? 0, 0, 1, true);
    this.bidirectional = check.boolean(kind, 'bidirectional', options.bidirectional ?? false);
    this._dropout = new Dropout(this.dropout, options.rng ? { rng: options.rng } : {});
    const gates = kind === 'LSTM' ? 4 : 3;
    const bound = 1 / Math.sqrt(hiddenSize);
    const make = (name: string, shape: number[]): Parameter => {
      const p = makeParameter(name, () => uniform(shape, { a: -bound, b: bound }));
      // Enumerable own fields, so Module sees PyTorch's names (`weightIh_l0`) as parameters.
      Object.defineProperty(this, name, { value: p, enumerable: true, writable: true, configurable: true });
      return p;
    };
    for (let layer = 0; layer < this.numLayers; layer++) {
      const inputs = layer === 0 ? inputSize : hiddenSize * this.directions;
      for (const suffix of this.bidirectional ? ['', '_reverse'] : ['']) {
        const tag = `_l${layer}${suffix}`;
        const w: RecurrentWeights = {
          weightIh: make(`weightIh${tag}`, [inputs, gates * hiddenSize]),
          weightHh: make(`weightHh${tag}`, [hiddenSize, gates * hiddenSize]),
        };
        if (this.bias) {
          w.biasIh = make(`biasIh${tag}`, [gates * hiddenSize]);
          w.biasHh = make(`biasHh${tag}`, [gates * hiddenSize]);
        }
        this._weights.push(w);
      }
    }
  }

  /** 2 when bidirectional, else 1. */
  get directions(): number {
    return this.bidirectional ? 2 : 1;
  }

  /** The parameter with this name (`weightIh_l0`, `biasHh_l1_reverse`, …). */
  parameter(name: string): Parameter {
    const named = this.namedParameters();
    const found = named.find(([key]) => key === name);
    if (!found) {
      const names = named.map(([key]) => key);
      const guess = closestName(name, names);
      throw new NntkError(
        'INVALID_OPTION',
        `${this._kind}: no parameter '${name}'.${guess ? ` Did you mean '${guess}'?` : ''} It has ${names.join(', ')}.`,
      );
    }
    return found[1];
  }

  private describe(): string {
    return `${this._kind}(${this.inputSize} -> ${this.hiddenSize})`;
  }

  /** Checks an initial state `[numLayers·directions, N, H]` (or `[numLayers·directions, H]` unbatched). */
  protected checkState(name: string, state: tf.Tensor | undefined, batch: number | undefined): void {
    if (!state) return;
    const layers = this.numLayers * this.directions;
    const expected = batch === undefined ? [layers, this.hiddenSize] : [layers, batch, this.hiddenSize];
    if (!tf.util.arraysEqual(state.shape, expected)) {
      throw new NntkError(
        'SHAPE_MISMATCH',
        `${this.describe()}: expected ${name} [${expected.join(', ')}], got [${state.shape.join(', ')}]`,
      );
    }
  }

  /**
   * Runs every layer over `x` (`[L, N, F]`, `[N, L, F]` with `batchFirst`, or `[L, F]` unbatched) from the
   * initial states (zeros when absent), returning the last layer's outputs and the final states
   * `[numLayers·directions, N, H]`.
   */
  protected recur(x: tf.Tensor, h0?: tf.Tensor, c0?: tf.Tensor): RecurrentResult {
    const unbatched = x.rank === 2;
    if ((x.rank !== 3 && !unbatched) || x.shape[x.rank - 1] !== this.inputSize) {
      const layout = this.batchFirst ? 'N, L' : 'L, N';
      shapeError(this.describe(), `[${layout}, ${this.inputSize}] or [L, ${this.inputSize}]`, x.shape);
    }
    const batch = unbatched ? undefined : x.shape[this.batchFirst ? 0 : 1];
    this.checkState('h0', h0, batch);
    this.checkState('c0', c0, batch);
    const [output, h, c] = tf.tidy(() => {
      let sequence = unbatched ? x.expandDims(1) : this.batchFirst ? tf.transpose(x, [1, 0, 2]) : x;
      const [length, n] = sequence.shape;
      const initial = (s?: tf.Tensor) =>
        s
          ? unbatched
            ? s.expandDims(1)
            : s
          : tf.zeros([this.numLayers * this.directions, n, this.hiddenSize]);
      const hs = unstackFirst(initial(h0));
      const cs = this._kind === 'LSTM' ? unstackFirst(initial(c0)) : [];
      const hOut: tf.Tensor[] = [];
      const cOut: tf.Tensor[] = [];
      for (let layer = 0; layer < this.numLayers; layer++) {
        if (layer > 0 && this.dropout > 0) sequence = this._dropout.train(this.training).forward(sequence);
        const flat = sequence.reshape([length * n, -1]) as tf.Tensor2D;
        const outputs: tf.Tensor[] = [];
        for (let d = 0; d < this.directions; d++) {
          const index = layer * this.directions + d;
          const pass = this.pass(flat, length, n, this._weights[index], d === 1, hs[index], cs[index]);
          outputs.push(pass.output);
          hOut.push(pass.h);
          if (pass.c) cOut.push(pass.c);
        }
        sequence = outputs.length === 1 ? outputs[0] : tf.concat(outputs, 2);
      }
      const squeeze = (t: tf.Tensor) => (unbatched ? t.squeeze([1]) : t);
      const output = unbatched
        ? sequence.squeeze([1])
        : this.batchFirst
          ? tf.transpose(sequence, [1, 0, 2])
          : sequence;
      return cOut.length
        ? [output, squeeze(tf.stack(hOut)), squeeze(tf.stack(cOut))]
        : [output, squeeze(tf.stack(hOut))];
    });
    return { output, h, c };
  }

  /** One direction of one layer over the whole sequence: outputs `[L, N, H]` and final states. */
  private pass(
    flat: tf.Tensor2D,
    length: number,
    n: number,
    w: RecurrentWeights,
    reverse: boolean,
    h0: tf.Tensor,
    c0: tf.Tensor | undefined,
  ): RecurrentResult {
    const lstm = this._kind === 'LSTM';
    const steps = unstackFirst(inputProjection(flat, w, lstm).reshape([length, n, -1]));
    const outputs: tf.Tensor[] = new Array(length);
    let h = h0;
    let c = c0;
    for (let k = 0; k < length; k++) {
      const t = reverse ? length - 1 - k : k;
      if (lstm) [h, c] = lstmStep(steps[t], h, c as tf.Tensor, w.weightHh);
      else h = gruStep(steps[t], h, w.weightHh, w.biasHh);
      outputs[t] = h;
    }
    return { output: tf.stack(outputs), h, c };
  }

  override extraRepr(): string {
    const extras = [`${this.inputSize}, ${this.hiddenSize}`];
    if (this.numLayers > 1) extras.push(`numLayers=${this.numLayers}`);
    if (!this.bias) extras.push('bias=false');
    if (this.batchFirst) extras.push('batchFirst=true');
    if (this.dropout > 0) extras.push(`dropout=${this.dropout}`);
    if (this.bidirectional) extras.push('bidirectional=true');
    return extras.join(', ');
  }
}
