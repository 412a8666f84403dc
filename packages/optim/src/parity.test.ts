import { useBackend } from '@nntk/core';
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { backendMatrix } from '../../core/src/backend-matrix.test-helpers';
import { buildOptimizer, caseName, fixture, makeProblem, stepLoss, worstError } from './test-helpers';

// Every optimizer and option set against PyTorch 1.13 (fixtures/gen_optim.py): 25 steps from the same
// start on a non-quadratic objective, parameters compared after every step within 1e-5 relative (2e-5 on
// webgpu) plus 1e-6 absolute for values near zero, on cpu, wasm and webgpu (CI has Mesa's GLES for it; with no
// adapter elsewhere webgpu is left out, saying why). Values are read with await data(), as webgpu needs.
for (const backend of await backendMatrix('optimizer trajectories')) {
  // GPU shaders round pow/exp/sqrt differently from the CPU's float32 (NAdam's μ-product drifts most).
  const rtol = backend === 'webgpu' ? 2e-5 : 1e-5;
  describe(`optimizer trajectories match PyTorch on ${backend}`, () => {
    for (const c of fixture.cases) {
      it(caseName(c), async () => {
        await useBackend(backend);
        const { W, b, loss, dispose } = makeProblem();
        const opt = buildOptimizer(c, W, b);
        const before = tf.memory().numTensors;
        for (const [step, expected] of c.steps.entries()) {
          const value = stepLoss(opt, loss, [W, b]);
          const [lossValue, wValues, bValues] = await Promise.all([value.data(), W.data(), b.data()]);
          value.dispose();
          expect(Math.abs(lossValue[0] - expected.loss), `loss at step ${step}`).toBeLessThan(
            1e-5 * Math.max(1, Math.abs(expected.loss)),
          );
          expect(worstError(wValues, expected.W, rtol), `W after step ${step + 1}`).toBe(0);
          expect(worstError(bValues, expected.b, rtol), `b after step ${step + 1}`).toBe(0);
          // The first step creates the state; after it, a step must not leave tensors behind.
          if (step === 0) expect(tf.memory().numTensors).toBeGreaterThanOrEqual(before);
        }
        const afterSteps = tf.memory().numTensors;
        stepLoss(opt, loss, [W, b]).dispose();
        expect(tf.memory().numTensors, 'tensors leaked by a step').toBe(afterSteps);
        opt.dispose();
        expect(tf.memory().numTensors, 'tensors left after dispose').toBe(before);
        dispose();
      });
    }
  });
}
