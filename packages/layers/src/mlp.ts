import { check, checkOptions, type Module, NntkError } from '@nntk/core';
import { BatchNorm1d } from './batch-norm1d';
import { Dropout } from './dropout';
import { type ActivationName, makeActivation } from './internal/activation';
import { Linear } from './linear';
import { Sequential } from './sequential';

export interface MLPOptions {
  /** Layer widths from input to output, e.g. `[784, 64, 32, 10]`. */
  sizes: number[];
  activation?: ActivationName;
  /** BatchNorm1d after each hidden Linear (before the activation). Default false. */
  batchNorm?: boolean;
  /** Dropout probability after each hidden activation. Default 0. */
  dropout?: number;
  bias?: boolean;
}

/**
 * A multilayer perceptron: `Linear → [BatchNorm1d] → activation → [Dropout]` per hidden layer and a final
 * `Linear` producing logits. Children are numbered as in the equivalent PyTorch `nn.Sequential`, so
 * state-dict keys and parameter counts match it.
 */
export class MLP extends Sequential {
  constructor(options: MLPOptions) {
    checkOptions<MLPOptions>('MLP', options, {
      sizes: true,
      activation: true,
      batchNorm: true,
      dropout: true,
      bias: true,
    });
    const sizes = options?.sizes;
    if (!Array.isArray(sizes) || sizes.length < 2) {
      throw new NntkError(
        'INVALID_OPTION',
        `MLP: option 'sizes' needs at least an input and an output size, got ${JSON.stringify(sizes)}`,
      );
    }
    const dropout = check.inRange('MLP', 'dropout', options.dropout ?? 0, 0, 1);
    const layers: Module[] = [];
    for (let i = 0; i < sizes.length - 1; i++) {
      const last = i === sizes.length - 2;
      layers.push(new Linear(sizes[i], sizes[i + 1], { bias: options.bias ?? true }));
      if (last) break;
      if (options.batchNorm) layers.push(new BatchNorm1d(sizes[i + 1]));
      layers.push(makeActivation('MLP', options.activation ?? 'relu'));
      if (dropout > 0) layers.push(new Dropout(dropout));
    }
    super(...layers);
  }
}
