import { useBackend } from '@nntk/core';
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { buildOptimizer, caseName, fixture, makeProblem, trainStep, worstError } from './test-helpers';

// Every optimizer and option set against PyTorch 1.13 (fixtures/gen_optim.py): 25 steps from the same
// start on a non-quadratic objective, parameters compared after every step within 1e-5 relative
// (plus 1e-6 absolute for values near zero), on the cpu and the wasm backends.
for (const backend of ['cpu', 'wasm'] as const) {
  describe(`optimizer trajectories match PyTorch on ${backend}`, () => {
    for (const c of fixture.cases) {
      it(caseName(c), async () => {
        await useBackend(backend);
        const { W, b, loss, dispose } = makeProblem();
        const opt = buildOptimizer(c, W, b);
        const before = tf.memory().numTensors;
        c.steps.forEach((expected, step) => {
          const lossValue = trainStep(opt, loss, [W, b]);
          expect(Math.abs(lossValue - expected.loss), `loss at step ${step}`).toBeLessThan(
            1e-5 * Math.max(1, Math.abs(expected.loss)),
          );
          expect(worstError(W.dataSync(), expected.W), `W after step ${step + 1}`).toBe(0);
          expect(worstError(b.dataSync(), expected.b), `b after step ${step + 1}`).toBe(0);
          // The first step creates the state; after it, a step must not leave tensors behind.
          if (step === 0) expect(tf.memory().numTensors).toBeGreaterThanOrEqual(before);
        });
        const afterSteps = tf.memory().numTensors;
        trainStep(opt, loss, [W, b]);
        expect(tf.memory().numTensors, 'tensors leaked by a step').toBe(afterSteps);
        opt.dispose();
        expect(tf.memory().numTensors, 'tensors left after dispose').toBe(before);
        dispose();
      });
    }
  });
}
