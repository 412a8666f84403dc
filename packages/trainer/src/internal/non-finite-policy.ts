import { check, type Module, type ReplayableGradientTransform } from '@nntk/core';
import type * as tf from '@tensorflow/tfjs-core';
import { FiniteGuard } from './finite-guard';

export type NonFiniteMode = 'stop' | 'skip' | 'ignore';

/**
 * What the Trainer does with NaN or infinite values (`TrainerOptions.nonFinite`): `'stop'` folds every
 * step's finiteness into an on-device flag read every `checkEvery` steps and before anything is
 * persisted, `'skip'` reads the step's own flag before its update, `'ignore'` trains on. In every mode
 * `persistable` refuses non-finite weights.
 */
export class NonFinitePolicy {
  readonly mode: NonFiniteMode;
  private readonly guard: FiniteGuard;

  constructor(mode: NonFiniteMode | undefined, checkEvery: number | undefined) {
    this.mode = check.oneOf('Trainer', 'nonFinite', mode ?? 'stop', ['stop', 'skip', 'ignore']);
    this.guard = new FiniteGuard(check.integer('Trainer', 'nonFiniteCheckEvery', checkEvery ?? 20, 1));
  }

  /** Before a step's update: false when the step is to be skipped (`'skip'` mode, a non-finite value). */
  async admit(loss: tf.Tensor, grads: Iterable<tf.Tensor>): Promise<boolean> {
    if (this.mode === 'ignore') return true;
    const flag = FiniteGuard.stepFlag(loss, grads);
    if (this.mode === 'stop') {
      this.guard.record(flag);
      return true;
    }
    const ok = (await flag.data())[0] !== 0;
    flag.dispose();
    return ok;
  }

  /**
   * The gradient check a compiled step may trace with its update (`'stop'` mode: the gradients' flag is
   * folded on the device; call `admit(loss, [])` after the step for the loss), undefined in `'ignore'`
   * mode, and null in `'skip'` mode, whose per-step read has to come before the update.
   */
  gradientTransform(): ReplayableGradientTransform | undefined | null {
    if (this.mode === 'ignore') return undefined;
    if (this.mode === 'skip') return null;
    return this.guard.gradientTransform();
  }

  /** Creates the variable the gradient transform writes, before a step that may trace it. */
  prepareStep(): void {
    if (this.mode === 'stop') this.guard.prepareGradientFlag();
  }

  /** True when a step's read loss stops training (`'stop'` mode, a non-finite loss). */
  stopsOnLoss(loss: number | undefined): boolean {
    return loss !== undefined && !Number.isFinite(loss) && this.mode === 'stop';
  }

  /** The periodic read of the gradient flag: false when a non-finite gradient was folded in. */
  async periodicCheck(step: number): Promise<boolean> {
    return !this.guard.due || this.guard.check(step);
  }

  /**
   * Why nothing may be persisted now (`'a non-finite gradient'` / `'a non-finite parameter'`), or
   * undefined when the gradient flag and every parameter and buffer are finite.
   */
  async persistable(model: Module, step: number): Promise<string | undefined> {
    const gradsOk = await this.guard.check(step);
    const paramsOk = await FiniteGuard.allFinite([...model.parameters(), ...model.buffers()]);
    if (gradsOk && paramsOk) return undefined;
    return gradsOk ? 'a non-finite parameter' : 'a non-finite gradient';
  }

  /** Frees the on-device flag (the policy stays usable). */
  dispose(): void {
    this.guard.dispose();
  }
}
