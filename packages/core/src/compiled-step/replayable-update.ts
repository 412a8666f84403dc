import type * as tf from '@tensorflow/tfjs-core';
import type { Gradients } from '../value-and-grads';

/**
 * One training step's parameter update, split so that a compiled step can trace it once and replay it at
 * every later step (what `@nntk/optim`'s `Optimizer.prepareStep` returns).
 *
 * The host side of the step (the learning rate from the parameter group or its schedule, bias corrections
 * from the step count, step counters) has already been computed in JavaScript; its numbers are in
 * `scalars`. `update` is the device side: it only runs tensor kernels, reading each of those numbers from
 * the float32 scalar tensor it is handed (never as a JavaScript constant), so one trace of it replays for
 * every step even though the numbers change. It updates the parameters and their state variables in
 * place with `assign`.
 */
export interface ReplayableUpdate {
  /** This step's host-computed numbers, fed to `update` as float32 scalar tensors in this order. */
  readonly scalars: readonly number[];
  /**
   * Everything `update`'s kernels depend on besides the scalars' values and the gradients (the state
   * variables' identities, the groups' constant options, which scalar feeds which parameter): a compiled
   * step re-traces when it changes.
   */
  readonly signature: string;
  /** The device part: updates parameters and state from `grads`, reading the numbers from `scalars`. */
  update(grads: Gradients, scalars: readonly tf.Scalar[]): void;
  /** Applies the host side (step counters and the like); call it once the update has run. */
  commit(): void;
}

/**
 * A gradient transform that a compiled step may trace into its replay (as `@nntk/optim`'s
 * `clipGradNormTransform` is): `apply` only runs kernels on the gradients (no host reads, no random
 * numbers, no variables created) and runs the same kernels at every step for the same `signature`.
 */
export interface ReplayableGradientTransform {
  readonly replayable: true;
  /** What `apply`'s kernels depend on besides the gradients (e.g. `maxNorm`), joined into the signature. */
  readonly signature: string;
  /** Transforms the gradients in place: it may replace the Map's tensors, disposing the old ones. */
  apply(grads: Gradients): void;
}

/** Whether `value` is a {@link ReplayableGradientTransform}. */
export function isReplayableGradientTransform(value: unknown): value is ReplayableGradientTransform {
  return (
    typeof value === 'object' &&
    value !== null &&
    (value as { replayable?: unknown }).replayable === true &&
    typeof (value as { apply?: unknown }).apply === 'function'
  );
}
