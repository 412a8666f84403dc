import { valueAndGrads } from '@nntk/core';
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

export function buildOptimizer(c: Case, W: tf.Variable, b: tf.Variable): Optimizer {
  const Ctor = (optim as unknown as Record<string, new (p: unknown, o: unknown) => Optimizer>)[c.optimizer];
  const params = c.groups
    ? [
        { params: [W], ...c.groups[0] },
        { params: [b], ...c.groups[1] },
      ]
    : [W, b];
  return new Ctor(params, c.options);
}

/** One training step; returns the loss before the update. */
export function trainStep(opt: Optimizer, loss: () => tf.Scalar, params: tf.Variable[]): number {
  const { value, grads } = valueAndGrads(loss, params);
  opt.step(grads);
  const v = value.dataSync()[0];
  value.dispose();
  for (const g of grads.values()) g.dispose();
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
