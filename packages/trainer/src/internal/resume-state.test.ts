import { NntkError } from '@nntk/core';
import { describe, expect, it } from 'vitest';
import { Callback } from '../callback';
import { callbackKeys, callbackStates, restoreCallbacks, restoreHistory, restoring } from './resume-state';

class Counter extends Callback {
  override readonly name: string = 'Counter';
  count = 0;
  override stateDict() {
    return { count: this.count };
  }
  override loadStateDict(state: Record<string, unknown>) {
    if (typeof state.count !== 'number') throw new TypeError('count must be a number');
    this.count = state.count;
  }
}

class Plain extends Callback {
  override readonly name: string = 'Plain';
}

describe('resume state', () => {
  it('keys callbacks of the same name apart (name, name#2, ...) and stores only those with state', () => {
    const a = new Counter();
    const b = new Counter();
    a.count = 1;
    b.count = 2;
    const callbacks = [a, new Plain(), b];
    expect(callbackKeys(callbacks).map(([, key]) => key)).toEqual(['Counter', 'Plain', 'Counter#2']);
    const states = callbackStates(callbacks);
    expect(states).toEqual({ Counter: { count: 1 }, 'Counter#2': { count: 2 } });
    const c = new Counter();
    const d = new Counter();
    restoreCallbacks([c, d], states, 'ckpt');
    expect([c.count, d.count]).toEqual([1, 2]);
  });

  it('turns a malformed callback state into CORRUPT_CHECKPOINT naming the key and directory', () => {
    const c = new Counter();
    let error: unknown;
    try {
      restoreCallbacks([new Counter(), c], { 'Counter#2': { count: 'x' } }, 'runs/a/checkpoints/last');
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(NntkError);
    expect((error as NntkError).code).toBe('CORRUPT_CHECKPOINT');
    expect((error as Error).message).toMatch(/Counter#2 state in runs\/a\/checkpoints\/last: count must be/);
  });

  it('passes NntkErrors through and returns values', () => {
    expect(restoring('x', () => 3)).toBe(3);
    const typed = new NntkError('STATE_DICT_MISMATCH', 'shapes differ');
    expect(() =>
      restoring('x', () => {
        throw typed;
      }),
    ).toThrow(typed);
  });

  it("brings JSON's nulls in the history back as NaN", () => {
    const history = restoreHistory({ epochs: [{ loss: null, accuracy: 0.5 }] });
    expect(history.epochs[0].loss).toBeNaN();
    expect(history.epochs[0].accuracy).toBe(0.5);
  });
});
