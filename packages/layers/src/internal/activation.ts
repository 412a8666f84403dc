import { type Module, NntkError } from '@nntk/core';
import { ELU } from '../elu';
import { GELU } from '../gelu';
import { Identity } from '../identity';
import { LeakyReLU } from '../leaky-relu';
import { ReLU } from '../relu';
import { Sigmoid } from '../sigmoid';
import { SiLU } from '../silu';
import { Tanh } from '../tanh';

/** Activation names the reference architectures accept. */
export type ActivationName = 'relu' | 'leakyRelu' | 'elu' | 'gelu' | 'silu' | 'sigmoid' | 'tanh' | 'identity';

const FACTORIES: Record<ActivationName, () => Module> = {
  relu: () => new ReLU(),
  leakyRelu: () => new LeakyReLU(),
  elu: () => new ELU(),
  gelu: () => new GELU(),
  silu: () => new SiLU(),
  sigmoid: () => new Sigmoid(),
  tanh: () => new Tanh(),
  identity: () => new Identity(),
};

export function makeActivation(owner: string, name: ActivationName): Module {
  const factory = FACTORIES[name];
  if (!factory) {
    throw new NntkError(
      'INVALID_OPTION',
      `${owner}: option 'activation' must be one of ${Object.keys(FACTORIES)
        .map((k) => `'${k}'`)
        .join(', ')}, got ${JSON.stringify(name)}`,
    );
  }
  return factory();
}
