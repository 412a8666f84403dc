import { conv2dReLU, hasFusedKernels, linearReLU, type Module } from '@nntk/core';
import type * as tf from '@tensorflow/tfjs-core';
import { Conv2d } from '../conv2d';
import { Identity } from '../identity';
import { Linear } from '../linear';
import { ReLU } from '../relu';
import { tfPadding } from './convolution';
import { isConstantInput } from './gradient-tape';

/** A module with forward hooks has its own `forward` (see core's forward-hooks): it must run as itself. */
const hooked = (m: Module) => Object.hasOwn(m, 'forward');
/** Exactly this class: a subclass may override `forward`. */
const exactly = (m: Module | undefined, cls: { prototype: object }) =>
  m !== undefined && Object.getPrototypeOf(m) === cls.prototype && !hooked(m);

function linearThenReLU(linear: Linear, x: tf.Tensor): tf.Tensor | undefined {
  if (x.rank !== 2 || x.shape[1] !== linear.inFeatures) return undefined;
  return linearReLU(x as tf.Tensor2D, linear.weight as tf.Tensor2D, linear.bias as tf.Tensor1D | undefined, {
    inputGradient: !isConstantInput(x),
  });
}

function convThenReLU(conv: Conv2d, x: tf.Tensor): tf.Tensor | undefined {
  const plain = conv.groups === 1 && conv.dilation.every((d) => d === 1);
  if (!plain || x.rank !== 4 || x.shape[3] !== conv.inChannels) return undefined;
  return conv2dReLU(x as tf.Tensor4D, conv.weight as tf.Tensor4D, conv.bias as tf.Tensor1D | undefined, {
    strides: conv.stride,
    pad: tfPadding(conv.padding),
    inputGradient: !isConstantInput(x),
  });
}

/**
 * `modules` applied in order to `x` as one fused op, where the backend has nntk's fused kernels
 * (`hasFusedKernels()`, the wasm backend) and the modules are a `Linear` or an ungrouped, undilated
 * `Conv2d`, then a `ReLU` (exactly these classes, not subclasses; hook-free `Identity` modules between
 * change nothing), none with forward hooks; else undefined, and the caller runs the modules one by one. Same values as the separate
 * modules (the fused ops' TSDoc in @nntk/core), fewer kernels and intermediate tensors.
 */
export function fusedForward(modules: (Module | undefined)[], x: tf.Tensor): tf.Tensor | undefined {
  if (!hasFusedKernels()) return undefined;
  const [first, activation, ...rest] = modules.filter((m) => !exactly(m, Identity));
  if (rest.length > 0 || !exactly(activation, ReLU)) return undefined;
  if (exactly(first, Linear)) return linearThenReLU(first as Linear, x);
  if (exactly(first, Conv2d)) return convThenReLU(first as Conv2d, x);
  return undefined;
}
