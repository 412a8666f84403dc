import type * as tf from '@tensorflow/tfjs-core';

/** A constraint applied to weights after an optimizer step: `constraint(variable)` rewrites it in place. */
export type Constraint = (weight: tf.Variable) => void;
