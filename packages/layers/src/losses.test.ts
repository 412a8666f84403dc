import { useBackend } from '@nntk/core';
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import lossFixtures from '../../../fixtures/layers/losses.json';
import { backendMatrix } from '../../core/src/backend-matrix.test-helpers';
import { bceWithLogits, crossEntropy, huberLoss, l1Loss, mseLoss, nllLoss } from './index';
import { decode, type Encoded, excess, readback } from './test-helpers';

type LossCase = (typeof lossFixtures.cases)[number];

// biome-ignore lint/suspicious/noExplicitAny: options come from JSON
function compute(c: LossCase, x: tf.Tensor, target: tf.Tensor, raw: any): tf.Tensor {
  const options = { ...raw };
  for (const key of ['weight', 'posWeight']) if (options[key]) options[key] = tf.tensor(options[key]);
  delete options.spatial;
  switch (c.loss) {
    case 'crossEntropy':
      return crossEntropy(x, target, options);
    case 'nllLoss':
      return nllLoss(tf.logSoftmax(x), target, options);
    case 'mseLoss':
      return mseLoss(x, target, options);
    case 'l1Loss':
      return l1Loss(x, target, options);
    case 'huberLoss':
      return huberLoss(tf.mul(x, 2), target, options);
    default:
      return bceWithLogits(tf.mul(x, 3), target, options);
  }
}

// One suite, every backend of the matrix (webgpu where Dawn finds an adapter; CI has Mesa's GLES).
for (const backend of await backendMatrix('losses match PyTorch')) {
  describe(`losses match PyTorch on ${backend}`, () => {
    for (const c of lossFixtures.cases) {
      it(`${c.loss} ${JSON.stringify(c.options)}`, async () => {
        await useBackend(backend);
        const before = tf.memory().numTensors;
        const target = decode(c.target as Encoded);
        const upstream = decode(c.upstream);
        const x = decode(c.input);
        let output: tf.Tensor | undefined;
        const inputGrad = tf.grad((input: tf.Tensor) => {
          const loss = compute(c, input, target, c.options);
          output = tf.keep(loss.clone());
          return tf.sum(tf.mul(loss, upstream));
        })(x);
        expect(excess(await readback(output!), c.output), 'loss').toBe(0);
        expect(excess(await readback(inputGrad), c.inputGrad), 'input gradient').toBe(0);
        tf.dispose([target, upstream, x, output!, inputGrad]);
        expect(tf.memory().numTensors).toBe(before);
      });
    }
  });
}

describe('loss errors and a hand-worked case', () => {
  it('hand-worked cross-entropy: logits [0, ln 3] for class 1 give −ln(3/4)', async () => {
    await useBackend('cpu');
    // softmax([0, ln 3]) = [1/4, 3/4]; the loss of class 1 is −ln(3/4) ≈ 0.287682
    const loss = crossEntropy(tf.tensor2d([[0, Math.log(3)]]), tf.tensor1d([1], 'int32'));
    expect(loss.dataSync()[0]).toBeCloseTo(-Math.log(0.75), 6);
  });

  it('names the shapes on a mismatch and the dtype of class targets', () => {
    expect(() => crossEntropy(tf.zeros([4, 3]), tf.zeros([5], 'int32'))).toThrow(
      'crossEntropy: expected class scores [N, ..., C] and integer targets [N, ...], got [4, 3] and [5]',
    );
    expect(() => crossEntropy(tf.zeros([4, 3]), tf.zeros([4, 2]))).toThrow(
      /probability targets must have the logits' shape \[4, 3\]/,
    );
    expect(() => nllLoss(tf.zeros([4, 3]), tf.zeros([4]))).toThrow(
      'nllLoss: class-index targets must be int32, got float32',
    );
    expect(() => mseLoss(tf.zeros([2, 3]), tf.zeros([3, 2]))).toThrow(
      'mseLoss: input [2, 3] and target [3, 2] must have the same shape',
    );
    expect(() => mseLoss(tf.zeros([2]), tf.zeros([2]), { reduction: 'avg' as 'mean' })).toThrow(
      /option 'reduction' must be one of 'mean', 'sum', 'none'/,
    );
  });
});
