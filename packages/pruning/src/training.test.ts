import { disposeGradients, seed, useBackend, valueAndGrads } from '@nntk/core';
import { Linear, MLP, mseLoss } from '@nntk/layers';
import { Adam, SGD } from '@nntk/optim';
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import fixture from '../../../fixtures/pruning/masked-adam.json';
import { GradualPruner, l1Unstructured, lnStructured, polynomialDecaySparsity } from './index';

function closeTo(actual: ArrayLike<number>, expected: number[], tolerance: number) {
  expect(actual.length).toBe(expected.length);
  for (let i = 0; i < expected.length; i++) expect(Math.abs(actual[i] - expected[i])).toBeLessThan(tolerance);
}

for (const backend of ['cpu', 'wasm'] as const) {
  describe(`masks persist through training (${backend})`, () => {
    it('Adam: 3 steps, prune half, 3 steps: weights, gradients and mask equal PyTorch (1e-5)', async () => {
      await useBackend(backend);
      const layer = new Linear(4, 3);
      layer.weight.assign(tf.tensor2d(fixture.weight, [4, 3]));
      layer.bias?.assign(tf.tensor1d(fixture.bias));
      const x = tf.tensor2d(fixture.x, [5, 4]);
      const y = tf.tensor2d(fixture.y, [5, 3]);
      const optimizer = new Adam(layer.parameters(), { lr: 0.1 });
      const before = tf.memory().numTensors;
      for (let step = 0; step < 6; step++) {
        if (step === 3) await l1Unstructured(layer, 'weight', { amount: 0.5 });
        const { value, grads } = valueAndGrads(
          () => mseLoss(layer.forward(x), y) as tf.Scalar,
          layer.parameters(),
        );
        if (step >= 3)
          closeTo(grads.get(layer.weight)!.dataSync(), fixture.gradsAfterPruning[step - 3], 1e-5);
        optimizer.step(grads);
        disposeGradients(grads);
        value.dispose();
        if (step === 3) expect(tf.memory().numTensors).toBe(before + 1 + 4); // the mask, Adam's two moments × 2
        if (step > 3) expect(tf.memory().numTensors).toBe(before + 5);
      }
      const mask = Array.from((layer as unknown as { weight_mask: tf.Variable }).weight_mask.dataSync());
      expect(mask).toEqual(fixture.mask);
      const w = layer.weight.dataSync();
      closeTo(w, fixture.finalWeight, 1e-5);
      for (let i = 0; i < mask.length; i++) if (mask[i] === 0) expect(w[i] === 0).toBe(true);
      closeTo(layer.bias!.dataSync(), fixture.finalBias, 1e-5);
      optimizer.dispose();
      layer.dispose();
      tf.dispose([x, y]);
      expect(tf.memory().numTensors).toBe(before - 2 - 2);
    });
  });
}

describe('state', () => {
  it('masks are in the state dict; N steps, save, load into fresh objects, M steps equals N+M steps', async () => {
    await useBackend('cpu');
    const x = tf.randomNormal([16, 6], 0, 1, 'float32', 4);
    const y = tf.randomNormal([16, 2], 0, 1, 'float32', 5);
    const build = () => {
      seed(9);
      const model = new MLP({ sizes: [6, 8, 2] });
      const optimizer = new SGD(model.parameters(), { lr: 0.05, momentum: 0.9, weightDecay: 0.01 });
      const schedule = polynomialDecaySparsity({
        initialSparsity: 0,
        finalSparsity: 0.75,
        endStep: 6,
        frequency: 2,
      });
      const pruner = new GradualPruner({ model, schedule });
      return { model, optimizer, pruner };
    };
    const train = async (run: ReturnType<typeof build>, steps: number) => {
      for (let i = 0; i < steps; i++) {
        const { value, grads } = valueAndGrads(
          () => mseLoss(run.model.forward(x) as tf.Tensor, y) as tf.Scalar,
          run.model.parameters(),
        );
        run.optimizer.step(grads);
        disposeGradients(grads);
        value.dispose();
        await run.pruner.step();
      }
    };
    const straight = build();
    await train(straight, 8);
    const first = build();
    await train(first, 3);
    const modelState = Object.fromEntries(
      Object.entries(first.model.stateDict()).map(([k, v]) => [k, v.clone()]),
    );
    expect(Object.keys(modelState)).toContain('0.weight_mask');
    const optimizerState = first.optimizer.stateDict();
    const prunerState = JSON.parse(JSON.stringify(first.pruner.stateDict()));
    const resumed = build();
    resumed.model.loadStateDict(modelState);
    resumed.optimizer.loadStateDict(optimizerState);
    resumed.pruner.loadStateDict(prunerState);
    await train(resumed, 5);
    for (const [key, value] of Object.entries(straight.model.stateDict())) {
      expect(Array.from(resumed.model.stateDict()[key].dataSync()), key).toEqual(
        Array.from(value.dataSync()),
      );
    }
    const zeros = Array.from(straight.model.stateDict()['0.weight'].dataSync()).filter((v) => v === 0).length;
    expect(zeros).toBe(36); // 75% of 48, reached at endStep = 6
    for (const run of [straight, first, resumed]) {
      run.model.dispose();
      run.optimizer.dispose();
    }
    tf.dispose([x, y, ...Object.values(modelState)]);
    tf.dispose(
      Object.values(optimizerState.state).flatMap((s) =>
        Object.values(s).filter((v) => v instanceof tf.Tensor),
      ),
    );
  });

  it('structured masks survive SGD with momentum: pruned output neurons stay exactly zero', async () => {
    await useBackend('cpu');
    const layer = new Linear(5, 4);
    const optimizer = new SGD(layer.parameters(), { lr: 0.1, momentum: 0.9 });
    const x = tf.randomNormal([8, 5], 0, 1, 'float32', 1);
    const step = () => {
      const { value, grads } = valueAndGrads(
        () => tf.sum(tf.square(layer.forward(x))) as tf.Scalar,
        layer.parameters(),
      );
      optimizer.step(grads);
      disposeGradients(grads);
      value.dispose();
    };
    step();
    await lnStructured(layer, 'weight', { amount: 2, n: 2 });
    for (let i = 0; i < 3; i++) step();
    const mask = (layer as unknown as { weight_mask: tf.Variable }).weight_mask.dataSync();
    const w = layer.weight.dataSync();
    expect(Array.from(mask).filter((v) => v === 0)).toHaveLength(10);
    for (let i = 0; i < mask.length; i++) if (mask[i] === 0) expect(w[i] === 0).toBe(true);
    optimizer.dispose();
    layer.dispose();
    x.dispose();
  });
});
