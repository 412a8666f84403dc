import { type Module, NntkError } from '@nntk/core';
import { dropMask, prunedNames } from './internal/apply-mask';
import { targetParameter } from './internal/target';

/**
 * Makes the pruning of `module[name]` permanent, as PyTorch's `prune.remove`: the weights keep their
 * zeros, the mask buffer and the masking of forward pass and optimizer steps are dropped, so training
 * may change the zeros again.
 */
export function remove(module: Module, name: string): Module {
  const param = targetParameter('remove', module, name);
  if (!prunedNames(module).includes(name)) {
    throw new NntkError(
      'INVALID_OPTION',
      `remove: parameter '${name}' of ${module.constructor.name} has not been pruned, so there is nothing to remove`,
    );
  }
  dropMask(module, name, param);
  return module;
}
