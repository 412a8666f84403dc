// compileStep with an optimizer that offers prepareStep (the ReplayableUpdate contract): here a small
// SGD with momentum and a per-step lr written against core only; @nntk/optim's optimizers are tested
// with compileStep in packages/trainer/src/compiled-update.test.ts.
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { getRng, Module, Parameter, seed, useBackend, valueAndGrads } from '../index';
import type { Gradients } from '../value-and-grads';
import { compileStep, type StepOptimizer } from './compile-step';
import type { ReplayableGradientTransform, ReplayableUpdate } from './replayable-update';

class Net extends Module {
  readonly w = tf.tidy(() => new Parameter(tf.randomNormal([4, 3], 0, 1, 'float32', 1)));
  readonly b = tf.tidy(() => new Parameter(tf.zeros([3])));
  forward(x: tf.Tensor): tf.Tensor {
    return tf.add(tf.matMul(x, this.w), this.b);
  }
}

const mse = (output: tf.Tensor, target: tf.Tensor) => tf.mean(tf.square(tf.sub(output, target)));

/** SGD with momentum whose lr decays with its step count: the host side is the lr and the counter. */
class DecayingSgd implements StepOptimizer {
  steps = 0;
  readonly buffers: tf.Variable[];
  constructor(readonly params: tf.Variable[]) {
    this.buffers = tf.tidy(() => params.map((p) => tf.variable(tf.zerosLike(p), false)));
  }
  lr(): number {
    return 0.1 * 0.8 ** this.steps;
  }
  private device(grads: Gradients, lr: tf.Scalar): void {
    tf.tidy(() => {
      this.params.forEach((p, i) => {
        const buffer = this.buffers[i];
        buffer.assign(tf.add(tf.mul(buffer, 0.9), grads.get(p) as tf.Tensor));
        p.assign(tf.sub(p, tf.mul(buffer, lr)));
      });
    });
  }
  step(grads: Gradients): void {
    const lr = tf.scalar(this.lr());
    this.device(grads, lr);
    lr.dispose();
    this.steps += 1;
  }
  prepareStep(): ReplayableUpdate {
    return {
      scalars: [this.lr()],
      signature: this.buffers.map((b) => b.id).join(','),
      update: (grads, [lr]) => this.device(grads, lr),
      commit: () => {
        this.steps += 1;
      },
    };
  }
  dispose(): void {
    tf.dispose(this.buffers);
  }
}

/** Scales the gradients by a constant (a stand-in for a clipping transform). */
const halve: ReplayableGradientTransform = {
  replayable: true,
  signature: 'halve',
  apply(grads) {
    for (const [v, g] of grads) {
      grads.set(v, tf.mul(g, 0.5));
      g.dispose();
    }
  },
};

async function train(compiled: boolean, steps: number) {
  await useBackend('cpu');
  const start = tf.memory().numTensors;
  seed(5);
  const net = new Net();
  const optimizer = new DecayingSgd(net.parameters());
  const step = compileStep(net, mse, optimizer, { clipGrads: halve });
  const losses: number[] = [];
  const counts: number[] = [];
  const modes: string[] = [];
  for (let i = 0; i < steps; i++) {
    const x = tf.randomNormal([5, 4], 0, 1, 'float32', 10 + i);
    const y = tf.randomNormal([5, 3], 0, 1, 'float32', 30 + i);
    if (compiled) {
      const { loss, mode, compiledUpdate } = step(x, y);
      expect(compiledUpdate).toBe(true);
      modes.push(mode);
      losses.push((await loss.data())[0]);
      loss.dispose();
    } else {
      const { value, grads } = valueAndGrads(() => mse(net.forward(x), y) as tf.Scalar, net.parameters());
      halve.apply(grads);
      optimizer.step(grads);
      losses.push((await value.data())[0]);
      tf.dispose([value, ...grads.values()]);
    }
    tf.dispose([x, y]);
    counts.push(tf.memory().numTensors);
  }
  const bits = await Promise.all(
    [...net.parameters(), ...optimizer.buffers].map(async (t) =>
      Array.from(new Uint32Array((await t.data()).buffer.slice(0))),
    ),
  );
  const stats = { ...step.stats };
  const steps_ = optimizer.steps;
  step.dispose();
  optimizer.dispose();
  net.dispose();
  return { losses, bits, counts, modes, stats, steps: steps_, leaked: tf.memory().numTensors - start };
}

describe('compileStep with prepareStep', () => {
  it('replays the update with the host numbers fed in: one trace for every lr, bit-identical', async () => {
    const eager = await train(false, 12);
    const compiled = await train(true, 12);
    expect(compiled.losses).toEqual(eager.losses);
    expect(compiled.bits).toEqual(eager.bits);
    expect(compiled.steps).toBe(12);
    expect(compiled.modes).toEqual(['traced', 'traced', ...Array(10).fill('replayed')]);
    expect(compiled.stats).toMatchObject({ traces: 2, replays: 10, compiledUpdates: 12, eagerUpdates: 0 });
    expect(new Set(compiled.counts.slice(2)).size).toBe(1);
    expect([eager.leaked, compiled.leaked]).toEqual([0, 0]);
  });

  it('runs the update eagerly through step() where prepareStep says why, or clipGrads is a function', async () => {
    await useBackend('cpu');
    seed(5);
    const net = new Net();
    const optimizer = new DecayingSgd(net.parameters());
    const refusing: StepOptimizer = {
      step: (grads) => optimizer.step(grads),
      prepareStep: () => 'not today',
    };
    const x = tf.randomNormal([5, 4], 0, 1, 'float32', 1);
    const y = tf.randomNormal([5, 3], 0, 1, 'float32', 2);
    const first = compileStep(net, mse, refusing);
    const second = compileStep(net, mse, optimizer, { clipGrads: (g) => halve.apply(g) });
    const third = compileStep(net, mse, optimizer, { compileUpdate: false });
    for (const [step, reason] of [
      [first, /not today/],
      [second, /plain function/],
      [third, /compileUpdate is false/],
    ] as const) {
      for (let i = 0; i < 3; i++) {
        const result = step(x, y);
        expect(result.compiledUpdate).toBe(false);
        result.loss.dispose();
      }
      expect(step.stats).toMatchObject({ eagerUpdates: 3, compiledUpdates: 0, replays: 1 });
      expect(step.stats.eagerUpdateReason).toMatch(reason);
      step.dispose();
    }
    expect(optimizer.steps).toBe(9);
    expect(() => compileStep(net, mse, optimizer, { compileUpdate: JSON.parse('"yes"') })).toThrow(
      /compileUpdate/,
    );
    tf.dispose([x, y]);
    optimizer.dispose();
    net.dispose();
  });

  it("keeps the counters with the weights when a trace that ran the update is refused (onDynamic: 'error')", async () => {
    await useBackend('cpu');
    seed(5);
    const net = new Net();
    const noisy = new (class extends Module {
      readonly inner = net;
      forward(x: tf.Tensor): tf.Tensor {
        // Draws from nntk's generator: not replayable.
        return tf.add(this.inner.forward(x), tf.tensor(getRng().normalArray(3)));
      }
    })();
    const optimizer = new DecayingSgd(net.parameters());
    const step = compileStep(noisy, mse, optimizer, { onDynamic: 'error' });
    const x = tf.randomNormal([5, 4], 0, 1, 'float32', 1);
    const y = tf.randomNormal([5, 3], 0, 1, 'float32', 2);
    const before = await net.w.data();
    expect(() => step(x, y)).toThrow(/random generator/);
    expect(optimizer.steps).toBe(1);
    expect(await net.w.data()).not.toEqual(before);
    step.dispose();
    tf.dispose([x, y]);
    optimizer.dispose();
    net.dispose();
  });
});
