import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { getRng, NntkError, Parameter, seed, useBackend, valueAndGrads } from '../index';
import { type CompiledLossFn, compileValueAndGrads } from './compile-value-and-grads';

/** A two-layer net with a running-mean buffer assigned in forward (as BatchNorm does). */
function makeNet() {
  seed(3);
  const rng = getRng();
  const init = (shape: number[]) =>
    new Parameter(tf.tensor(rng.normalArray(shape.reduce((a, b) => a * b, 1)), shape));
  const params = [init([6, 8]), init([8]), init([8, 3]), init([3])];
  const running = tf.variable(tf.zeros([8]), false);
  const classWeights = tf.tensor1d([1, 2, 0.5]);
  const fn: CompiledLossFn = (x, y) => {
    const [w1, b1, w2, b2] = params;
    const h = tf.relu(tf.add(tf.matMul(x, w1), b1));
    running.assign(tf.add(tf.mul(running, 0.9), tf.mul(tf.mean(h, 0), 0.1)));
    const out = tf.add(tf.matMul(h, w2), b2);
    const loss = tf.mean(tf.mul(tf.square(tf.sub(out, y)), classWeights)) as tf.Scalar;
    return { loss, output: out };
  };
  return { params, running, fn, dispose: () => tf.dispose([...params, running, classWeights]) };
}

function sgd(params: tf.Variable[], grads: Map<tf.Variable, tf.Tensor>): void {
  tf.tidy(() => {
    for (const p of params) p.assign(tf.sub(p, tf.mul(grads.get(p) as tf.Tensor, 0.05)));
  });
}

function batch(step: number, rows = 5): [tf.Tensor, tf.Tensor] {
  const rng = getRng();
  seed(100 + step);
  return [tf.tensor(rng.normalArray(rows * 6), [rows, 6]), tf.tensor(rng.normalArray(rows * 3), [rows, 3])];
}

async function bits(ts: tf.Tensor[]): Promise<number[][]> {
  return Promise.all(ts.map(async (t) => Array.from(new Uint32Array((await t.data()).buffer.slice(0)))));
}

type Runner = (
  x: tf.Tensor,
  y: tf.Tensor,
  net: ReturnType<typeof makeNet>,
) => {
  value: tf.Scalar;
  grads: Map<tf.Variable, tf.Tensor>;
  output?: tf.Tensor;
};

async function train(runner: Runner, steps: number, rowsAt = (_: number) => 5) {
  const net = makeNet();
  const losses: number[] = [];
  const counts: number[] = [];
  for (let s = 0; s < steps; s++) {
    const [x, y] = batch(s, rowsAt(s));
    const { value, grads, output } = runner(x, y, net);
    sgd(net.params, grads);
    losses.push((await value.data())[0]);
    tf.dispose([value, ...grads.values(), x, y, ...(output ? [output] : [])]);
    counts.push(tf.memory().numTensors);
  }
  const state = await bits([...net.params, net.running]);
  return { net, losses, counts, state };
}

const eager: Runner = (x, y, net) => {
  let output: tf.Tensor | undefined;
  const { value, grads } = valueAndGrads(() => {
    const r = net.fn(x, y) as { loss: tf.Scalar; output: tf.Tensor };
    output = tf.keep(r.output);
    return r.loss;
  }, net.params);
  return { value, grads, output };
};

for (const backend of ['cpu', 'wasm'] as const) {
  describe(`compileValueAndGrads on ${backend}`, () => {
    it('replays bit-identically to eager over 20 steps, assigns written variables, and does not leak', async () => {
      await useBackend(backend);
      const reference = await train(eager, 20);
      reference.net.dispose();
      let compiled: ReturnType<typeof compileValueAndGrads> | undefined;
      const result = await train((x, y, net) => {
        compiled ??= compileValueAndGrads(net.fn, () => net.params);
        return compiled(x, y);
      }, 20);
      expect(result.losses).toEqual(reference.losses);
      expect(result.state).toEqual(reference.state);
      const c = compiled as NonNullable<typeof compiled>;
      expect(c.stats).toMatchObject({ traces: 2, replays: 18, eagerSteps: 0, lastMode: 'replayed' });
      expect(c.stats.kernelsRemoved).toBeGreaterThan(0);
      expect(new Set(result.counts.slice(2)).size).toBe(1);
      const held = tf.memory().numTensors;
      c.dispose();
      expect(tf.memory().numTensors).toBeLessThan(held);
      result.net.dispose();
    });

    it('re-traces per shape signature and keeps results identical across signatures', async () => {
      await useBackend(backend);
      const rows = (s: number) => (s % 3 === 2 ? 4 : 5);
      const reference = await train(eager, 12, rows);
      reference.net.dispose();
      let compiled: ReturnType<typeof compileValueAndGrads> | undefined;
      const result = await train(
        (x, y, net) => {
          compiled ??= compileValueAndGrads(net.fn, () => net.params, { maxCacheSize: 1 });
          return compiled(x, y);
        },
        12,
        rows,
      );
      expect(result.state).toEqual(reference.state);
      // With room for one signature, alternating shapes evict each other: it never gets past tracing.
      expect(compiled?.stats.replays).toBe(0);
      compiled?.dispose();
      result.net.dispose();
      let roomy: ReturnType<typeof compileValueAndGrads> | undefined;
      const again = await train(
        (x, y, net) => {
          roomy ??= compileValueAndGrads(net.fn, () => net.params);
          return roomy(x, y);
        },
        12,
        rows,
      );
      expect(again.state).toEqual(reference.state);
      expect(roomy?.stats).toMatchObject({ traces: 4, replays: 8, cacheSize: 2 });
      roomy?.dispose();
      again.net.dispose();
    });
  });
}

describe('compileValueAndGrads refuses what a replay would freeze', () => {
  it('runs a step that draws random numbers eagerly and says why; onDynamic error throws', async () => {
    await useBackend('cpu');
    const w = new Parameter(tf.ones([4]));
    const x = tf.ones([4]);
    const dropout: CompiledLossFn = (input) =>
      tf.sum(tf.mul(tf.mul(input, w), getRng().bernoulli([4], 0.5))) as tf.Scalar;
    const compiled = compileValueAndGrads(dropout, () => [w]);
    for (let i = 0; i < 3; i++) {
      const { value, grads, mode } = compiled(x);
      expect(mode).toBe(i === 0 ? 'traced' : 'eager');
      tf.dispose([value, ...grads.values()]);
    }
    expect(Object.values(compiled.stats.eagerReasons)[0]).toMatch(/random generator/);
    const strict = compileValueAndGrads(dropout, () => [w], { onDynamic: 'error' });
    const before = tf.memory().numTensors;
    expect(() => strict(x)).toThrow(NntkError);
    expect(() => strict(x)).toThrow(/cannot replay this step: .*random generator/);
    expect(tf.memory().numTensors).toBe(before);
    tf.dispose([w, x]);
  });

  it('refuses a step that reads values on the host, and a step whose constants change', async () => {
    await useBackend('cpu');
    const w = new Parameter(tf.ones([3]));
    const x = tf.ones([3]);
    const reads = compileValueAndGrads(
      (input) => {
        const s = tf.sum(tf.mul(input, w));
        return (s.dataSync()[0] > 0 ? s : tf.neg(s)) as tf.Scalar;
      },
      () => [w],
    );
    const kept: tf.Tensor[] = [];
    const hooks = compileValueAndGrads(
      (input) => {
        const h = tf.mul(input, w);
        kept.push(tf.keep(tf.mean(h)));
        return tf.sum(h) as tf.Scalar;
      },
      () => [w],
    );
    let counter = 0;
    const counts = compileValueAndGrads(
      (input) => tf.sum(tf.mul(tf.mul(input, w), ++counter)) as tf.Scalar,
      () => [w],
    );
    for (let i = 0; i < 3; i++) {
      for (const f of [reads, counts, hooks]) {
        const { value, grads } = f(x);
        tf.dispose([value, ...grads.values()]);
      }
    }
    expect(Object.values(reads.stats.eagerReasons)[0]).toMatch(/reads tensor values on the host/);
    expect(Object.values(counts.stats.eagerReasons)[0]).toMatch(/constant .* changed between two runs/);
    expect(counts.stats.replays).toBe(0);
    expect(Object.values(hooks.stats.eagerReasons)[0]).toMatch(/keeps a tensor .* beyond its results/);
    expect(kept).toHaveLength(3);
    tf.dispose(kept);
    tf.dispose([w, x]);
  });

  it('rejects unknown and bad options with an NntkError', () => {
    const w = tf.variable(tf.ones([1]));
    const loss = () => tf.sum(w) as tf.Scalar;
    expect(() => compileValueAndGrads(loss, () => [w], JSON.parse('{"maxCacheSise": 2}'))).toThrow(
      /Did you mean 'maxCacheSize'/,
    );
    expect(() => compileValueAndGrads(loss, () => [w], { maxCacheSize: 0 })).toThrow(NntkError);
    expect(() => compileValueAndGrads(loss, () => [w], JSON.parse('{"onDynamic": "warn"}'))).toThrow(
      /onDynamic/,
    );
    w.dispose();
  });
});
