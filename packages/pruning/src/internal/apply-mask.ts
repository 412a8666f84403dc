import type { Module, Parameter } from '@nntk/core';
import * as tf from '@tensorflow/tfjs-core';
import { getMask, maskKey, targetParameter } from './target';

const ORIGINAL_FORWARD = Symbol.for('@nntk/pruning.originalForward');
const PRUNED_NAMES = Symbol.for('@nntk/pruning.prunedNames');

// The bookkeeping lives on the module under global symbols (so two copies of this package agree), read and
// written with Reflect: a Module has no index signature for them.
function prunedSet(module: Module): Set<string> | undefined {
  return Reflect.get(module, PRUNED_NAMES);
}

/** Names of the pruned parameters of a module (empty when none). */
export function prunedNames(module: Module): string[] {
  return [...(prunedSet(module) ?? [])];
}

/**
 * Runs the module's own forward with every pruned parameter replaced by `parameter * mask` (PyTorch's
 * forward pre-hook), so gradients at pruned positions are exactly zero.
 */
function maskedForward(module: Module, original: (...inputs: unknown[]) => unknown) {
  return (...inputs: unknown[]) =>
    tf.tidy(() => {
      const saved = prunedNames(module).map((name) => [name, Reflect.get(module, name)] as const);
      try {
        for (const [name, param] of saved) {
          Reflect.set(module, name, tf.mul(param as tf.Tensor, getMask(module, name) as tf.Variable));
        }
        return original.apply(module, inputs) as tf.TensorContainer;
      } finally {
        for (const [name, param] of saved) Reflect.set(module, name, param);
      }
    });
}

function constraintKey(name: string): string {
  return `@nntk/pruning:${name}`;
}

/**
 * Sets `module[name]`'s mask to `mask` (taking ownership of it): stores it as the buffer `<name>_mask`,
 * zeroes the pruned weights, masks the forward pass, and re-applies the mask after every optimizer step.
 */
export function setMask(module: Module, name: string, mask: tf.Tensor): void {
  const param = targetParameter('prune', module, name);
  const existing = getMask(module, name);
  if (existing) {
    existing.assign(mask);
    mask.dispose();
  } else {
    Reflect.set(module, maskKey(name), tf.variable(mask, false, `${param.name}_mask`));
    mask.dispose();
  }
  const buffer = getMask(module, name) as tf.Variable;
  tf.tidy(() => param.assign(tf.mul(param, buffer)));
  param.constraints.set(constraintKey(name), (value) => tf.mul(value, buffer));
  let names = prunedSet(module);
  if (!names) {
    names = new Set();
    Reflect.set(module, PRUNED_NAMES, names);
    const original = module.forward;
    Reflect.set(module, ORIGINAL_FORWARD, original);
    Object.defineProperty(module, 'forward', {
      value: maskedForward(module, original),
      configurable: true,
      writable: true,
      enumerable: false,
    });
  }
  names.add(name);
}

/** Drops the mask of `module[name]` (the weights keep their zeros) and undoes the forward patch. */
export function dropMask(module: Module, name: string, param: Parameter): void {
  const mask = getMask(module, name);
  if (mask) {
    tf.tidy(() => param.assign(tf.mul(param, mask)));
    mask.dispose();
  }
  Reflect.deleteProperty(module, maskKey(name));
  param.constraints.delete(constraintKey(name));
  const names = prunedSet(module);
  names?.delete(name);
  if (names?.size === 0) {
    Reflect.deleteProperty(module, 'forward');
    Reflect.deleteProperty(module, PRUNED_NAMES);
    Reflect.deleteProperty(module, ORIGINAL_FORWARD);
  }
}
