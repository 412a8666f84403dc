import { createFusedOptimizerUpdates } from '@nntk/backend-wasm';
import { registerBackendCapability, valueAndGrads } from '@nntk/core';
import * as tf from '@tensorflow/tfjs-core';
import trajectories from '../../../fixtures/optim/trajectories.json';
import * as optim from './index';
import type { Optimizer } from './optimizer';

export const fixture = trajectories;
export type Case = (typeof trajectories.cases)[number];

/** The fixture's problem: pred = tanh(X W + b); loss = mean((pred − Y)²) + 0.01 Σ W⁴. */
export function makeProblem() {
  const p = trajectories.problem;
  const X = tf.tensor2d(p.X);
  const Y = tf.tensor2d(p.Y);
  const W = tf.variable(tf.tensor2d(p.W));
  const b = tf.variable(tf.tensor1d(p.b));
  const loss = () =>
    tf.tidy(() => {
      const pred = tf.tanh(tf.add(tf.matMul(X, W), b));
      return tf.add(tf.mean(tf.square(tf.sub(pred, Y))), tf.mul(0.01, tf.sum(tf.pow(W, 4)))) as tf.Scalar;
    });
  const dispose = () => tf.dispose([X, Y, W, b]);
  return { W, b, loss, dispose };
}

/** The `@nntk/optim` optimizer class named `name` (a fixture case's `optimizer`). */
export function optimizerClass(name: string): new (params: unknown, options: unknown) => Optimizer {
  const value: unknown = Reflect.get(optim, name);
  if (!isOptimizerClass(value)) throw new Error(`fixture case: @nntk/optim has no optimizer class ${name}`);
  return value;
}

function isOptimizerClass(value: unknown): value is new (params: unknown, options: unknown) => Optimizer {
  return typeof value === 'function' && value.prototype instanceof optim.Optimizer;
}

/** The case's optimizer over W and b (two groups, W's and b's, where the case has groups). */
export function buildOptimizer(
  c: { optimizer: string; options: object; groups?: object[] | null },
  W: tf.Variable,
  b: tf.Variable,
): Optimizer {
  const Ctor = optimizerClass(c.optimizer);
  const params = c.groups
    ? [
        { params: [W], ...c.groups[0] },
        { params: [b], ...c.groups[1] },
      ]
    : [W, b];
  return new Ctor(params, c.options);
}

/** One training step; returns the loss before the update, as a tensor the caller disposes. */
export function stepLoss(opt: Optimizer, loss: () => tf.Scalar, params: tf.Variable[]): tf.Scalar {
  const { value, grads } = valueAndGrads(loss, params);
  opt.step(grads);
  for (const g of grads.values()) g.dispose();
  return value;
}

/** One training step; returns the loss before the update. */
export function trainStep(opt: Optimizer, loss: () => tf.Scalar, params: tf.Variable[]): number {
  const value = stepLoss(opt, loss, params);
  const v = value.dataSync()[0];
  value.dispose();
  return v;
}

export function caseName(c: Case): string {
  return `${c.optimizer} ${JSON.stringify(c.options)}${c.groups ? ` groups ${JSON.stringify(c.groups)}` : ''}`;
}

/** |actual − expected| <= atol + rtol·|expected| elementwise; returns the worst excess or 0. */
export function worstError(actual: ArrayLike<number>, expected: number[], rtol = 1e-5, atol = 1e-6): number {
  let worst = 0;
  expected.forEach((e, i) => {
    const excess = Math.abs(actual[i] - e) - (atol + rtol * Math.abs(e));
    worst = Math.max(worst, excess);
  });
  return worst;
}

/**
 * Trains the fixture problem 25 steps with the fused wasm path off and on (SIMD kernel or JavaScript
 * loop), checks that a further step leaks no tensor, and expects weights and losses to agree to float32
 * rounding (1e-5 relative), as PyTorch tests `fused=True` against its for-loop implementation.
 */
export function expectFusedMatchesReference(
  make: (params: tf.Variable[], fused: boolean) => Optimizer,
  simd: boolean,
): void {
  // The JavaScript loops: the wasm backend's fused updates with the SIMD kernels off, swapped in for the test.
  const restore = simd
    ? () => {}
    : registerBackendCapability(
        'wasm',
        'fusedOptimizerUpdates',
        createFusedOptimizerUpdates({ simd: false }),
      );
  const runs = [false, true].map((fused) => {
    const { W, b, loss, dispose } = makeProblem();
    const opt = make([W, b], fused);
    const losses = Array.from({ length: 25 }, () => trainStep(opt, loss, [W, b]));
    const counts = tf.memory().numTensors;
    trainStep(opt, loss, [W, b]);
    if (tf.memory().numTensors !== counts) throw new Error(`fused=${fused}: a step leaked tensors`);
    const result = { losses, W: Array.from(W.dataSync()) };
    opt.dispose();
    dispose();
    return result;
  });
  restore();
  const [reference, fused] = runs;
  const closeTo = (a: number, b: number) => Math.abs(a - b) <= 1e-5 * (1 + Math.abs(b));
  const badWeight = reference.W.findIndex((w, i) => !closeTo(fused.W[i], w));
  const badLoss = reference.losses.findIndex((l, i) => !closeTo(fused.losses[i], l));
  if (badWeight >= 0)
    throw new Error(`weight ${badWeight}: fused ${fused.W[badWeight]} vs ${reference.W[badWeight]}`);
  if (badLoss >= 0)
    throw new Error(`loss ${badLoss}: fused ${fused.losses[badLoss]} vs ${reference.losses[badLoss]}`);
}
