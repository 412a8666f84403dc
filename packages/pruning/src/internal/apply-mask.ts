import type { Module, Parameter } from '@nntk/core';
import * as tf from '@tensorflow/tfjs-core';
import { getMask, maskKey, targetParameter } from './target';

type Fields = Record<string, unknown>;

const ORIGINAL_FORWARD = Symbol.for('@nntk/pruning.originalForward');
const PRUNED_NAMES = Symbol.for('@nntk/pruning.prunedNames');

interface Patched {
  [ORIGINAL_FORWARD]?: (...inputs: unknown[]) => unknown;
  [PRUNED_NAMES]?: Set<string>;
}

/** Names of the pruned parameters of a module (empty when none). */
export function prunedNames(module: Module): string[] {
  return [...((module as unknown as Patched)[PRUNED_NAMES] ?? [])];
}

/**
 * Runs the module's own forward with every pruned parameter replaced by `parameter * mask` (PyTorch's
 * forward pre-hook), so gradients at pruned positions are exactly zero.
 */
function maskedForward(module: Module, original: (...inputs: unknown[]) => unknown) {
  return (...inputs: unknown[]) =>
    tf.tidy(() => {
      const fields = module as unknown as Fields;
      const saved = prunedNames(module).map((name) => [name, fields[name]] as const);
      try {
        for (const [name, param] of saved) {
          fields[name] = tf.mul(param as tf.Tensor, getMask(module, name) as tf.Variable);
        }
        return original.apply(module, inputs) as tf.TensorContainer;
      } finally {
        for (const [name, param] of saved) fields[name] = param;
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
  const fields = module as unknown as Fields;
  const existing = getMask(module, name);
  if (existing) {
    existing.assign(mask);
    mask.dispose();
  } else {
    fields[maskKey(name)] = tf.variable(mask, false, `${param.name}_mask`);
    mask.dispose();
  }
  const buffer = getMask(module, name) as tf.Variable;
  tf.tidy(() => param.assign(tf.mul(param, buffer)));
  param.constraints.set(constraintKey(name), (value) => tf.mul(value, buffer));
  const patched = module as unknown as Patched;
  if (!patched[PRUNED_NAMES]) {
    patched[PRUNED_NAMES] = new Set();
    const original = module.forward;
    patched[ORIGINAL_FORWARD] = original;
    Object.defineProperty(module, 'forward', {
      value: maskedForward(module, original),
      configurable: true,
      writable: true,
      enumerable: false,
    });
  }
  patched[PRUNED_NAMES].add(name);
}

/** Drops the mask of `module[name]` (the weights keep their zeros) and undoes the forward patch. */
export function dropMask(module: Module, name: string, param: Parameter): void {
  const fields = module as unknown as Fields;
  const mask = getMask(module, name);
  if (mask) {
    tf.tidy(() => param.assign(tf.mul(param, mask)));
    mask.dispose();
  }
  delete fields[maskKey(name)];
  param.constraints.delete(constraintKey(name));
  const patched = module as unknown as Patched;
  patched[PRUNED_NAMES]?.delete(name);
  if (patched[PRUNED_NAMES]?.size === 0) {
    delete (module as unknown as Fields).forward;
    delete patched[PRUNED_NAMES];
    delete patched[ORIGINAL_FORWARD];
  }
}
