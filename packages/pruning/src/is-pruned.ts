import type { Module } from '@nntk/core';
import { prunedNames } from './internal/apply-mask';

/** True when `module` or any module inside it has a pruned parameter (PyTorch's `prune.is_pruned`). */
export function isPruned(module: Module): boolean {
  return module.modules().some((m) => prunedNames(m).length > 0);
}
