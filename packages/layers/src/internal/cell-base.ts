import { checkOptions, Module, type Parameter } from '@nntk/core';
import { uniform } from '@nntk/initializers';
import * as tf from '@tensorflow/tfjs-core';
import { checkSize, makeParameter, shapeError } from './parameters';

/** Weights of a single recurrent cell, PyTorch's `weight_ih` etc. transposed to `[in, gates·H]`. */
export abstract class CellBase extends Module {
  readonly inputSize: number;
  readonly hiddenSize: number;
  weightIh: Parameter;
  weightHh: Parameter;
  biasIh?: Parameter;
  biasHh?: Parameter;

  protected constructor(
    protected readonly _kind: string,
    gates: number,
    inputSize: number,
    hiddenSize: number,
    options: { bias?: boolean },
  ) {
    super();
    checkOptions(_kind, options, { bias: true });
    this.inputSize = checkSize(_kind, 'inputSize', inputSize);
    this.hiddenSize = checkSize(_kind, 'hiddenSize', hiddenSize);
    const bound = 1 / Math.sqrt(hiddenSize);
    const make = (name: string, shape: number[]) =>
      makeParameter(name, () => uniform(shape, { a: -bound, b: bound }));
    this.weightIh = make('weightIh', [inputSize, gates * hiddenSize]);
    this.weightHh = make('weightHh', [hiddenSize, gates * hiddenSize]);
    if (options.bias ?? true) {
      this.biasIh = make('biasIh', [gates * hiddenSize]);
      this.biasHh = make('biasHh', [gates * hiddenSize]);
    }
  }

  /** Checks `x` `[N, inputSize]` and a state `[N, H]`. */
  protected checkInputs(x: tf.Tensor, states: (tf.Tensor | undefined)[]): void {
    const name = `${this._kind}(${this.inputSize} -> ${this.hiddenSize})`;
    if (x.rank !== 2 || x.shape[1] !== this.inputSize) shapeError(name, `[N, ${this.inputSize}]`, x.shape);
    for (const s of states) {
      if (s && !tf.util.arraysEqual(s.shape, [x.shape[0], this.hiddenSize]))
        shapeError(`${name} state`, `[${x.shape[0]}, ${this.hiddenSize}]`, s.shape);
    }
  }

  override extraRepr(): string {
    return `${this.inputSize}, ${this.hiddenSize}${this.biasIh ? '' : ', bias=false'}`;
  }
}
