import type { ReplayableGradientTransform } from '@nntk/core';
import * as tf from '@tensorflow/tfjs-core';

/**
 * On-device bookkeeping of non-finite losses and gradients, read without a synchronous device read.
 * Every step folds `all(isFinite(loss)) ∧ all(isFinite(g))` for all gradients into one scalar flag that
 * stays on the device; it is read with `await data()` only every `checkEvery` steps and before anything
 * is persisted. In 'skip' mode the flag of the step itself is read (asynchronously) before the update.
 */
export class FiniteGuard {
  private flag?: tf.Tensor;
  /** The gradients' flag where a compiled step folds it in (a variable its replay writes). */
  private gradFlag?: tf.Variable;
  /** The first step at which a non-finite value was seen (set by `check`). */
  firstBadStep?: number;
  private stepsSinceCheck = 0;

  constructor(readonly checkEvery: number) {}

  /** A scalar bool that is true when the loss and every gradient are finite (the caller disposes it). */
  static stepFlag(loss: tf.Tensor, grads: Iterable<tf.Tensor>): tf.Tensor {
    return tf.tidy(() => {
      let ok = tf.all(tf.isFinite(loss));
      for (const g of grads) ok = tf.logicalAnd(ok, tf.all(tf.isFinite(g)));
      return ok;
    });
  }

  /** Folds a step's flag into the running flag (takes ownership of `flag`). */
  record(flag: tf.Tensor): void {
    if (!this.flag) this.flag = flag;
    else {
      const next = tf.logicalAnd(this.flag, flag);
      tf.dispose([this.flag, flag]);
      this.flag = next;
    }
    this.stepsSinceCheck += 1;
  }

  /** True when a periodic check is due. */
  get due(): boolean {
    return this.stepsSinceCheck >= this.checkEvery;
  }

  /** Reads the running flag (one asynchronous read) and resets it; false when something was non-finite. */
  async check(step: number): Promise<boolean> {
    this.stepsSinceCheck = 0;
    let ok = true;
    if (this.gradFlag) {
      ok = (await this.gradFlag.data())[0] !== 0;
      if (!ok) tf.tidy(() => this.gradFlag?.assign(tf.scalar(true, 'bool')));
    }
    if (this.flag) {
      ok = (await this.flag.data())[0] !== 0 && ok;
      this.flag.dispose();
      this.flag = undefined;
    }
    if (!ok && this.firstBadStep === undefined) this.firstBadStep = step;
    return ok;
  }

  /**
   * A gradient transform a compiled step traces into its replay: it folds `all(isFinite(g))` for every
   * gradient into a boolean variable (the loss's flag is still recorded with `record`), which `check`
   * reads with the rest. Call `prepareGradientFlag()` before each step it runs in (the variable must
   * exist before a trace begins).
   */
  gradientTransform(): ReplayableGradientTransform {
    const guard = this;
    return {
      replayable: true,
      get signature() {
        return `finiteGradients#${guard.gradFlag?.id}`;
      },
      apply: (grads) => {
        const variable = guard.prepareGradientFlag();
        tf.tidy(() => {
          let ok: tf.Tensor = variable;
          for (const g of grads.values()) ok = tf.logicalAnd(ok, tf.all(tf.isFinite(g)));
          variable.assign(ok);
        });
      },
    };
  }

  /** The variable {@link gradientTransform} writes, created (true) where missing. */
  prepareGradientFlag(): tf.Variable {
    this.gradFlag ??= tf.tidy(() => tf.variable(tf.scalar(true, 'bool'), false));
    return this.gradFlag;
  }

  /** True when every given tensor is finite (one reduction, one asynchronous read). */
  static async allFinite(tensors: tf.Tensor[]): Promise<boolean> {
    const floats = tensors.filter((t) => t.dtype === 'float32');
    if (floats.length === 0) return true;
    const flag = tf.tidy(() =>
      floats.map((t) => tf.all(tf.isFinite(t))).reduce((a, b) => tf.logicalAnd(a, b)),
    );
    const ok = (await flag.data())[0] !== 0;
    flag.dispose();
    return ok;
  }

  dispose(): void {
    this.flag?.dispose();
    this.flag = undefined;
    this.gradFlag?.dispose();
    this.gradFlag = undefined;
  }
}
