import { NntkError, useBackend } from '@nntk/core';
import * as tf from '@tensorflow/tfjs-core';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { Adam, SGD } from '../index';

// skipNonFinite keeps its check on the device (tf.where on an all-finite flag) and reads the flag
// asynchronously; the counters are exact once settled() resolves.
for (const backend of ['cpu', 'wasm'] as const) {
  describe(`skipNonFinite on ${backend}`, () => {
    afterEach(() => {
      vi.restoreAllMocks();
    });

    it('never reads synchronously, leaves a skipped step no trace, and leaks no tensor', async () => {
      await useBackend(backend);
      const w = tf.variable(tf.tensor1d([1, 2, 3]));
      const opt = new Adam([w], { lr: 0.1, skipNonFinite: true });
      const good = tf.tensor1d([0.5, -0.5, 1]);
      const bad = tf.tensor1d([0.5, Number.POSITIVE_INFINITY, 1]);
      const dataSync = vi.spyOn(tf.Tensor.prototype, 'dataSync');
      opt.step(new Map([[w, bad]]));
      expect(await opt.settled(), 'a first step with Inf is skipped').toBe(false);
      expect(opt.state.size, 'and creates no state').toBe(0);
      opt.step(new Map([[w, good]]));
      expect(await opt.settled()).toBe(true);
      const before = tf.memory().numTensors;
      const values = Array.from(await w.data());
      const expAvg = () => opt.state.get(w)?.expAvg as tf.Variable;
      const moment = Array.from(await expAvg().data());
      opt.step(new Map([[w, bad]]));
      expect(await opt.settled()).toBe(false);
      expect(Array.from(await w.data()), 'parameter unchanged').toEqual(values);
      expect(Array.from(await expAvg().data()), 'moment unchanged').toEqual(moment);
      expect([opt.stepCount, opt.skippedSteps, opt.state.get(w)?.step]).toEqual([1, 2, 1]);
      expect(tf.memory().numTensors, 'tensors flat across a skipped step').toBe(before);
      expect(dataSync).not.toHaveBeenCalled();
      opt.dispose();
      tf.dispose([w, good, bad]);
    });

    it('refuses the next step and stateDict() until the check is read', async () => {
      await useBackend(backend);
      const w = tf.variable(tf.tensor1d([1, 2]));
      const opt = new SGD([w], { lr: 0.1, momentum: 0.9, skipNonFinite: true });
      const g = tf.tensor1d([1, 1]);
      opt.step(new Map([[w, g]]));
      const error = (() => {
        try {
          opt.step(new Map([[w, g]]));
        } catch (e) {
          return e;
        }
      })();
      expect(NntkError.isInstance(error) && error.code).toBe('USAGE');
      expect(String(error)).toContain('await optimizer.settled()');
      expect(() => opt.stateDict()).toThrow(/still being read/);
      expect(await opt.settled()).toBe(true);
      const state = opt.stateDict();
      expect(state.stepCount).toBe(1);
      tf.dispose(
        Object.values(state.state).flatMap((s) => Object.values(s).filter((v) => typeof v !== 'number')),
      );
      opt.dispose();
      tf.dispose([w, g]);
    });
  });
}
