import { invalidOption } from '@nntk/core';

/** Nonlinearities PyTorch's `calculate_gain` knows (camelCase spellings accepted too). */
export type Nonlinearity =
  | 'linear'
  | 'conv1d'
  | 'conv2d'
  | 'conv3d'
  | 'conv_transpose1d'
  | 'conv_transpose2d'
  | 'conv_transpose3d'
  | 'sigmoid'
  | 'tanh'
  | 'relu'
  | 'leaky_relu'
  | 'leakyRelu'
  | 'selu';

const UNIT_GAIN = [
  'linear',
  'conv1d',
  'conv2d',
  'conv3d',
  'conv_transpose1d',
  'conv_transpose2d',
  'conv_transpose3d',
  'sigmoid',
];
const KNOWN = [...UNIT_GAIN, 'tanh', 'relu', 'leaky_relu', 'leakyRelu', 'selu'];

/**
 * The recommended gain for a nonlinearity, as `torch.nn.init.calculate_gain`: 1 for linear, conv and
 * sigmoid; 5/3 for tanh; √2 for ReLU; √(2/(1 + slope²)) for leaky ReLU (slope `param`, default 0.01);
 * 3/4 for SELU.
 */
export function calculateGain(nonlinearity: Nonlinearity, param?: number): number {
  if (UNIT_GAIN.includes(nonlinearity)) return 1;
  switch (nonlinearity) {
    case 'tanh':
      return 5 / 3;
    case 'relu':
      return Math.SQRT2;
    case 'leaky_relu':
    case 'leakyRelu': {
      const slope = param ?? 0.01;
      if (typeof slope !== 'number' || Number.isNaN(slope))
        invalidOption('calculateGain', 'param', param, 'a number (the negative slope)');
      return Math.sqrt(2 / (1 + slope ** 2));
    }
    case 'selu':
      return 3 / 4;
    default:
      return invalidOption(
        'calculateGain',
        'nonlinearity',
        nonlinearity,
        `one of ${KNOWN.map((k) => `'${k}'`).join(', ')}`,
      );
  }
}
