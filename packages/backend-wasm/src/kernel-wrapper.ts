import type * as tf from '@tensorflow/tfjs-core';

/** What tfjs passes a kernel function. */
// biome-ignore lint/suspicious/noExplicitAny: kernel inputs and attributes are untyped maps in tfjs
export type KernelArgs = { inputs: any; attrs?: any; backend: any };

/** A kernel function as nntk's fixes write it: returns one output or several. */
export type KernelFunction = (args: KernelArgs) => tf.TensorInfo | tf.TensorInfo[];

/** A fix that wraps tfjs's own kernel, falling back to it where the fix does not apply. */
export type KernelWrapper = (original: KernelFunction) => KernelFunction;
