import { NntkError } from '@nntk/core';
import * as tf from '@tensorflow/tfjs-core';

/** An optimizer's per-parameter state (as optimizer.ts's `ParamState`). */
type ParamState = Record<string, number | tf.Variable>;

interface Snapshot {
  /** Scalar bool on the device: every gradient of the step is finite. */
  finite: tf.Tensor;
  /** Each variable the step may change, with a copy of its value before the step. */
  tensors: Array<{ variable: tf.Variable; before: tf.Tensor }>;
  /** The counters (numbers) of each parameter's state before the step. */
  counters: Array<{ state: ParamState; before: Record<string, number> }>;
  /** Parameters that had no state before the step (a skipped first step must not leave one). */
  created: tf.Variable[];
}

function finiteFlag(grads: Iterable<tf.Tensor>): tf.Tensor {
  return tf.tidy(() => {
    const flags = [...grads].map((g) => tf.all(tf.isFinite(g)));
    return flags.reduce((a, b) => tf.logicalAnd(a, b));
  });
}

/**
 * `skipNonFinite` without a synchronous read: before a step it copies what the step may change, after it
 * selects (with `tf.where` on the device) the new values where every gradient was finite and the old ones
 * elsewhere, and reads the flag asynchronously to put the counters right (a skipped step does not count,
 * and a state its first step created is dropped). Until that read, `assertSettled` refuses.
 */
export class NonFiniteGuard {
  private snapshot: Snapshot | undefined;
  private pending: Promise<boolean> = Promise.resolve(true);
  private unread = false;
  private generation = 0;

  assertSettled(caller: string): void {
    if (this.unread) {
      throw new NntkError(
        'USAGE',
        `${caller}: the last step's non-finite check (skipNonFinite) is still being read; ` +
          'await optimizer.settled() before the next step or stateDict()',
      );
    }
  }

  /** Takes the copies before a step over `work` (the parameters with gradients in `grads`). */
  begin(
    grads: Map<tf.Variable, tf.Tensor>,
    states: Map<tf.Variable, ParamState>,
    work: { param: tf.Variable }[],
  ): void {
    const snapshot: Snapshot = { finite: finiteFlag(grads.values()), tensors: [], counters: [], created: [] };
    for (const { param } of work) {
      snapshot.tensors.push({ variable: param, before: param.clone() });
      const state = states.get(param);
      if (!state) {
        snapshot.created.push(param);
        continue;
      }
      const before: Record<string, number> = {};
      for (const [key, value] of Object.entries(state)) {
        if (typeof value === 'number') before[key] = value;
        else snapshot.tensors.push({ variable: value, before: value.clone() });
      }
      snapshot.counters.push({ state, before });
    }
    this.snapshot = snapshot;
  }

  /**
   * After the step: keeps its values where the flag holds and restores the copies elsewhere (on the
   * device), then reads the flag; `onRead(applied)` runs once it is read, before `settled()` resolves.
   */
  commit(states: Map<tf.Variable, ParamState>, onRead: (applied: boolean) => void): void {
    const snapshot = this.snapshot;
    if (!snapshot) return;
    this.snapshot = undefined;
    const { finite } = snapshot;
    tf.tidy(() => {
      for (const { variable, before } of snapshot.tensors)
        variable.assign(tf.where(finite, variable, before));
    });
    tf.dispose(snapshot.tensors.map((t) => t.before));
    this.unread = true;
    const generation = this.generation;
    this.pending = finite.data().then((values) => {
      finite.dispose();
      const applied = values[0] === 1;
      if (generation !== this.generation) return applied;
      this.unread = false;
      if (!applied) {
        for (const { state, before } of snapshot.counters) Object.assign(state, before);
        for (const param of snapshot.created) {
          for (const v of Object.values(states.get(param) ?? {})) if (typeof v !== 'number') v.dispose();
          states.delete(param);
        }
      }
      onRead(applied);
      return applied;
    });
  }

  /** Whether the last guarded step was applied, once its flag is read (true without one). */
  settled(): Promise<boolean> {
    return this.pending;
  }

  /** Stops acting on a read still under way (the optimizer's state is being freed). */
  dispose(): void {
    this.generation += 1;
    this.unread = false;
  }
}
