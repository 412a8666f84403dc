// compileStep (@nntk/core) with every @nntk/optim optimizer: bit-identical to the eager step.
import { compileStep, type Module, seed, useBackend, valueAndGrads } from '@nntk/core';
import {
  BatchNorm1d,
  Conv2d,
  crossEntropy,
  DeepFCNet,
  Dropout,
  Flatten,
  Linear,
  MaxPool2d,
  mseLoss,
  ReLU,
  Sequential,
} from '@nntk/layers';
import {
  Adadelta,
  Adagrad,
  Adam,
  Adamax,
  AdamW,
  clipGradNorm,
  LAMB,
  Lion,
  NAdam,
  type Optimizer,
  RAdam,
  RMSprop,
  SGD,
} from '@nntk/optim';
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';

type Make = (params: tf.Variable[]) => Optimizer;

const OPTIMIZERS: Record<string, Make> = {
  'SGD momentum': (p) => new SGD(p, { lr: 0.05, momentum: 0.9, weightDecay: 1e-3 }),
  'SGD nesterov': (p) => new SGD(p, { lr: 0.05, momentum: 0.9, nesterov: true }),
  'SGD scheduled lr': (p) => new SGD(p, { lr: (step) => 0.1 * 0.9 ** step }),
  Adam: (p) => new Adam(p, { lr: 0.01 }),
  'Adam amsgrad': (p) => new Adam(p, { lr: 0.01, amsgrad: true, weightDecay: 1e-2 }),
  AdamW: (p) => new AdamW(p, { lr: 0.01 }),
  RMSprop: (p) => new RMSprop(p, { lr: 0.01, momentum: 0.5, centered: true }),
  Adagrad: (p) => new Adagrad(p, { lr: 0.05 }),
  Adadelta: (p) => new Adadelta(p, { lr: 1 }),
  Adamax: (p) => new Adamax(p, { lr: 0.01 }),
  NAdam: (p) => new NAdam(p, { lr: 0.01 }),
  RAdam: (p) => new RAdam(p, { lr: 0.01 }),
  LAMB: (p) => new LAMB(p, { lr: 0.01 }),
  Lion: (p) => new Lion(p, { lr: 1e-3 }),
};

const STEPS = 20;

const EXTRA_TRACES: Record<string, number> = { 'SGD momentum': 1, 'SGD nesterov': 1, RAdam: 2 };

function batches(n: number): Array<[tf.Tensor, tf.Tensor]> {
  return Array.from({ length: n }, (_, i) => [
    tf.randomNormal([8, 6], 0, 1, 'float32', 10 + i),
    tf.tensor1d(
      Array.from({ length: 8 }, (_, j) => (i + j) % 3),
      'int32',
    ),
  ]);
}

function makeModel(): Module {
  seed(1);
  return new Sequential(new Linear(6, 16), new BatchNorm1d(16), new ReLU(), new Linear(16, 3));
}

async function stateBits(model: Module, optimizer: Optimizer): Promise<number[][]> {
  const tensors = [...model.parameters(), ...model.buffers()];
  for (const s of optimizer.state.values())
    for (const v of Object.values(s)) if (v instanceof tf.Tensor) tensors.push(v);
  return Promise.all(tensors.map(async (t) => Array.from(new Uint32Array((await t.data()).buffer.slice(0)))));
}

async function run(make: Make, clip: boolean, compiled: boolean, data: Array<[tf.Tensor, tf.Tensor]>) {
  const start = tf.memory().numTensors;
  const model = makeModel();
  const optimizer = make(model.parameters());
  const clipGrads = clip
    ? (g: Map<tf.Variable, tf.Tensor>) => clipGradNorm(g, 0.5).totalNorm.dispose()
    : undefined;
  const step = compileStep(model, crossEntropy, optimizer, { clipGrads });
  const losses: number[] = [];
  const counts: number[] = [];
  const modes: string[] = [];
  for (const [x, y] of data) {
    if (compiled) {
      const { loss, mode } = step(x, y);
      modes.push(mode);
      losses.push((await loss.data())[0]);
      loss.dispose();
    } else {
      const { value, grads } = valueAndGrads(
        () => crossEntropy(model.forward(x) as tf.Tensor, y) as tf.Scalar,
        model.parameters(),
      );
      clipGrads?.(grads);
      optimizer.step(grads);
      losses.push((await value.data())[0]);
      tf.dispose([value, ...grads.values()]);
    }
    counts.push(tf.memory().numTensors);
  }
  const bits = await stateBits(model, optimizer);
  const stats = { ...step.stats };
  step.dispose();
  optimizer.dispose();
  model.dispose();
  return { losses, bits, counts, modes, stats, leaked: tf.memory().numTensors - start };
}

for (const backend of ['cpu', 'wasm'] as const) {
  describe(`compileStep on ${backend} is bit-identical to the eager step`, () => {
    for (const clip of [false, true]) {
      it(`for every optimizer, ${clip ? 'with' : 'without'} clipGradNorm, over ${STEPS} steps`, async () => {
        await useBackend(backend);
        // A plain clipGrads function runs eagerly, and so does the update after it: fewer steps suffice.
        const steps = clip ? 10 : STEPS;
        const data = batches(steps);
        for (const [name, make] of Object.entries(OPTIMIZERS)) {
          const eager = await run(make, clip, false, data);
          const compiled = await run(make, clip, true, data);
          expect(compiled.losses, name).toEqual(eager.losses);
          expect(compiled.bits, name).toEqual(eager.bits);
          // Without a plain clipGrads function the update is traced too: SGD's momentum buffer is made
          // by an eager first update (one more trace; on wasm too, where SGD's fused update is compiled),
          // RAdam's rectification starting re-traces.
          const extra = clip ? 0 : (EXTRA_TRACES[name] ?? 0);
          expect(compiled.stats, name).toMatchObject({
            traces: 2 + extra,
            replays: steps - 2 - extra,
            eagerSteps: 0,
          });
          // Flat once the last trace is done (the optimizer's state exists after the first step).
          const settled = compiled.modes.lastIndexOf('traced') + 1;
          expect(new Set(compiled.counts.slice(settled)).size, name).toBe(1);
          expect(compiled.leaked, name).toBe(0);
          expect(eager.leaked, name).toBe(0);
        }
        tf.dispose(data.flat());
      });
    }

    it('compiles the bench DeepFCNet (ReZero) with Adam bit-identically', async () => {
      await useBackend(backend);
      const data = Array.from({ length: 6 }, (_, i): [tf.Tensor, tf.Tensor] => [
        tf.randomNormal([16, 12], 0, 1, 'float32', 40 + i),
        tf.randomNormal([16, 12], 0, 1, 'float32', 60 + i),
      ]);
      const train = async (compiled: boolean) => {
        seed(2);
        const model = new DeepFCNet({ inputDim: 12, width: 16, depth: 3, outputDim: 12, init: 'rezero' });
        const optimizer = new Adam(model.parameters(), { lr: 1e-2 });
        const step = compileStep(model, mseLoss, optimizer);
        for (const [x, y] of data) {
          if (compiled) step(x, y).loss.dispose();
          else {
            const { value, grads } = valueAndGrads(
              () => mseLoss(model.forward(x), y) as tf.Scalar,
              model.parameters(),
            );
            optimizer.step(grads);
            tf.dispose([value, ...grads.values()]);
          }
        }
        const bits = await stateBits(model, optimizer);
        const replays = step.stats.replays;
        step.dispose();
        optimizer.dispose();
        model.dispose();
        return { bits, replays };
      };
      const eager = await train(false);
      const compiled = await train(true);
      expect(compiled.bits).toEqual(eager.bits);
      expect(compiled.replays).toBe(4);
      tf.dispose(data.flat());
    });

    it('compiles a small CNN (conv, ReLU, max-pool; nntk wasm conv-gradient kernels) bit-identically', async () => {
      await useBackend(backend);
      const data = Array.from({ length: 5 }, (_, i): [tf.Tensor, tf.Tensor] => [
        tf.randomNormal([4, 8, 8, 2], 0, 1, 'float32', 80 + i),
        tf.tensor1d([0, 1, 2, i % 3], 'int32'),
      ]);
      const train = async (compiled: boolean) => {
        seed(4);
        const model = new Sequential(
          new Conv2d(2, 4, 3, { padding: 1 }),
          new ReLU(),
          new MaxPool2d(2),
          new Flatten(),
          new Linear(4 * 4 * 4, 3),
        );
        const optimizer = new Adam(model.parameters(), { lr: 1e-2 });
        const step = compileStep(model, crossEntropy, optimizer);
        for (const [x, y] of data) {
          if (compiled) step(x, y).loss.dispose();
          else {
            const { value, grads } = valueAndGrads(
              () => crossEntropy(model.forward(x) as tf.Tensor, y) as tf.Scalar,
              model.parameters(),
            );
            optimizer.step(grads);
            tf.dispose([value, ...grads.values()]);
          }
        }
        const bits = await stateBits(model, optimizer);
        const replays = step.stats.replays;
        step.dispose();
        optimizer.dispose();
        model.dispose();
        return { bits, replays };
      };
      const eager = await train(false);
      const compiled = await train(true);
      expect(compiled.bits).toEqual(eager.bits);
      expect(compiled.replays).toBe(3);
      tf.dispose(data.flat());
    });

    it('runs a model with Dropout in training mode eagerly (its masks are per step) and says why', async () => {
      await useBackend(backend);
      seed(3);
      const model = new Sequential(new Linear(6, 8), new Dropout(0.5), new Linear(8, 3));
      const optimizer = new SGD(model.parameters(), { lr: 0.1 });
      const step = compileStep(model, crossEntropy, optimizer);
      const data = batches(3);
      const modes = data.map(([x, y]) => {
        const { loss, mode } = step(x, y);
        loss.dispose();
        return mode;
      });
      expect(modes).toEqual(['traced', 'eager', 'eager']);
      expect(Object.values(step.stats.eagerReasons)[0]).toMatch(/random generator/);
      // In eval mode (a different signature) dropout is the identity and the step compiles.
      model.eval();
      const evalModes = data.map(([x, y]) => {
        const { loss, mode } = step(x, y);
        loss.dispose();
        return mode;
      });
      expect(evalModes).toEqual(['traced', 'traced', 'replayed']);
      step.dispose();
      optimizer.dispose();
      model.dispose();
      tf.dispose(data.flat());
    });
  });
}
