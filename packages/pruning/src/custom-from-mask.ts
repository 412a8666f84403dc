import { type Module, NntkError } from '@nntk/core';
import * as tf from '@tensorflow/tfjs-core';
import { setMask } from './internal/apply-mask';
import { maskValues, targetParameter } from './internal/target';

/**
 * Prunes `module[name]` with a given 0/1 mask of its shape (a tensor or flat values), combined with any
 * existing mask by multiplication, as PyTorch's `prune.custom_from_mask`. The caller keeps ownership of
 * a tensor passed in. Tensors (the mask given, the existing mask) are read with `await data()`.
 */
export async function customFromMask(
  module: Module,
  name: string,
  mask: tf.Tensor | ArrayLike<number>,
): Promise<Module> {
  const param = targetParameter('customFromMask', module, name);
  const given = mask instanceof tf.Tensor ? await mask.data() : mask;
  const shapeOk =
    mask instanceof tf.Tensor ? tf.util.arraysEqual(mask.shape, param.shape) : given.length === param.size;
  if (!shapeOk) {
    const got = mask instanceof tf.Tensor ? `shape [${mask.shape}]` : `${given.length} values`;
    throw new NntkError(
      'SHAPE_MISMATCH',
      `customFromMask: the mask for ${module.constructor.name}.${name} must have shape [${param.shape}], got ${got}`,
    );
  }
  const combined = await maskValues(module, name, param.size);
  for (let i = 0; i < combined.length; i++) combined[i] *= given[i] === 0 ? 0 : 1;
  setMask(module, name, tf.tensor(combined, param.shape, 'float32'));
  return module;
}
