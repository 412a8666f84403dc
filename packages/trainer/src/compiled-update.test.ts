// compileStep (@nntk/core) with the optimizer update traced into the replay (Optimizer.prepareStep,
// @nntk/optim): bit-identical to the eager step for every optimizer, with a changing learning rate.
import { compileStep, type Module, seed, useBackend, valueAndGrads } from '@nntk/core';
import { BatchNorm1d, crossEntropy, Linear, ReLU, Sequential } from '@nntk/layers';
import {
  Adadelta,
  Adagrad,
  Adam,
  Adamax,
  AdamW,
  clipGradNorm,
  clipGradNormTransform,
  LAMB,
  Lion,
  NAdam,
  type Optimizer,
  RAdam,
  RMSprop,
  SGD,
} from '@nntk/optim';
import { ExponentialLR } from '@nntk/schedulers';
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';

type Make = (params: tf.Variable[]) => Optimizer;

const OPTIMIZERS: Record<string, Make> = {
  SGD: (p) => new SGD(p, { lr: 0.05, fused: false }),
  'SGD momentum': (p) => new SGD(p, { lr: 0.05, momentum: 0.9, weightDecay: 1e-3, fused: false }),
  'SGD nesterov': (p) => new SGD(p, { lr: 0.05, momentum: 0.9, nesterov: true, fused: false }),
  Adam: (p) => new Adam(p, { lr: 0.01, fused: false }),
  'Adam amsgrad': (p) => new Adam(p, { lr: 0.01, amsgrad: true, weightDecay: 1e-2 }),
  AdamW: (p) => new AdamW(p, { lr: 0.01, fused: false }),
  // The fused one-pass updates (the default on wasm; the reference path elsewhere).
  'SGD fused': (p) => new SGD(p, { lr: 0.05, weightDecay: 1e-3 }),
  'SGD momentum fused': (p) => new SGD(p, { lr: 0.05, momentum: 0.9, dampening: 0.1, weightDecay: 1e-3 }),
  'SGD nesterov fused': (p) => new SGD(p, { lr: 0.05, momentum: 0.9, nesterov: true, weightDecay: 1e-3 }),
  'Adam fused': (p) => new Adam(p, { lr: 0.01, weightDecay: 1e-2 }),
  'Adam fused, maximize': (p) => new Adam(p, { lr: 0.01, maximize: true, betas: [0.8, 0.99] }),
  'AdamW fused': (p) => new AdamW(p, { lr: 0.01 }),
  Adamax: (p) => new Adamax(p, { lr: 0.01, weightDecay: 1e-3 }),
  NAdam: (p) => new NAdam(p, { lr: 0.01 }),
  RAdam: (p) => new RAdam(p, { lr: 0.01 }),
  Adagrad: (p) => new Adagrad(p, { lr: 0.05, lrDecay: 0.01 }),
  Adadelta: (p) => new Adadelta(p, { lr: 1 }),
  RMSprop: (p) => new RMSprop(p, { lr: 0.01, momentum: 0.5, centered: true }),
  LAMB: (p) => new LAMB(p, { lr: 0.01, weightDecay: 1e-2 }),
  Lion: (p) => new Lion(p, { lr: 1e-3, weightDecay: 0.1 }),
};

const STEPS = 22;

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

async function bitsOf(tensors: tf.Tensor[]): Promise<number[][]> {
  return Promise.all(tensors.map(async (t) => Array.from(new Uint32Array((await t.data()).buffer.slice(0)))));
}

async function stateBits(model: Module, optimizer: Optimizer): Promise<number[][]> {
  const tensors = [...model.parameters(), ...model.buffers()];
  for (const s of optimizer.state.values())
    for (const v of Object.values(s)) if (v instanceof tf.Tensor) tensors.push(v);
  return bitsOf(tensors);
}

function counters(optimizer: Optimizer): unknown {
  return {
    stepCount: optimizer.stepCount,
    state: [...optimizer.state.values()].map((s) =>
      Object.fromEntries(Object.entries(s).filter(([, v]) => typeof v === 'number')),
    ),
  };
}

/** Trains `data` eagerly or with compileStep, an ExponentialLR stepped after every step. */
async function run(make: Make, clip: boolean, compiled: boolean, data: Array<[tf.Tensor, tf.Tensor]>) {
  const start = tf.memory().numTensors;
  const model = makeModel();
  const optimizer = make(model.parameters());
  const scheduler = new ExponentialLR(optimizer, { gamma: 0.93 });
  const step = compileStep(model, crossEntropy, optimizer, {
    clipGrads: clip ? clipGradNormTransform(0.5) : undefined,
  });
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
      if (clip) clipGradNorm(grads, 0.5).totalNorm.dispose();
      optimizer.step(grads);
      losses.push((await value.data())[0]);
      tf.dispose([value, ...grads.values()]);
    }
    scheduler.step();
    counts.push(tf.memory().numTensors);
  }
  const bits = await stateBits(model, optimizer);
  const stats = { ...step.stats };
  const host = counters(optimizer);
  step.dispose();
  optimizer.dispose();
  model.dispose();
  return { losses, bits, counts, modes, stats, host, leaked: tf.memory().numTensors - start };
}

for (const backend of ['cpu', 'wasm'] as const) {
  describe(`compileStep with the update compiled, on ${backend}`, () => {
    for (const clip of [false, true]) {
      it(`is bit-identical to eager for every optimizer, ${clip ? 'with' : 'without'} clipGradNorm, a scheduled lr, ${STEPS} steps`, async () => {
        await useBackend(backend);
        const data = batches(STEPS);
        for (const [name, make] of Object.entries(OPTIMIZERS)) {
          const eager = await run(make, clip, false, data);
          const compiled = await run(make, clip, true, data);
          expect(compiled.losses, name).toEqual(eager.losses);
          expect(compiled.bits, name).toEqual(eager.bits);
          expect(compiled.host, name).toEqual(eager.host);
          // SGD's momentum buffer is made by its first update, which runs eagerly; RAdam re-traces once
          // its rectification starts (other kernels).
          const firstEager = name.startsWith('SGD m') || name.startsWith('SGD n') ? 1 : 0;
          expect(compiled.stats.compiledUpdates, name).toBe(STEPS - firstEager);
          expect(compiled.stats.eagerUpdates, name).toBe(firstEager);
          expect(compiled.stats.eagerSteps, name).toBe(0);
          expect(compiled.stats.replays, name).toBeGreaterThanOrEqual(STEPS - 5);
          const settled = compiled.modes.lastIndexOf('traced') + 1;
          expect(settled, name).toBeLessThan(STEPS - 8);
          expect(new Set(compiled.counts.slice(settled)).size, name).toBe(1);
          expect(compiled.leaked, name).toBe(0);
          expect(eager.leaked, name).toBe(0);
        }
        tf.dispose(data.flat());
      });
    }

    it('resumes exactly: N steps, stateDict, load into new objects, M more == N+M', async () => {
      await useBackend(backend);
      const data = batches(14);
      const makes: Record<string, Make> = {
        Adam: OPTIMIZERS.Adam,
        NAdam: OPTIMIZERS.NAdam,
        'SGD momentum': OPTIMIZERS['SGD momentum'],
        'Adam fused': OPTIMIZERS['Adam fused'],
        'AdamW fused': OPTIMIZERS['AdamW fused'],
        'SGD nesterov fused': OPTIMIZERS['SGD nesterov fused'],
      };
      for (const [name, make] of Object.entries(makes)) {
        const straight = await run(make, true, true, data);
        // Split run: 8 steps, save, fresh model + optimizer + compiled step, load, 6 more.
        const model = makeModel();
        const optimizer = make(model.parameters());
        let step = compileStep(model, crossEntropy, optimizer, { clipGrads: clipGradNormTransform(0.5) });
        const scheduler = new ExponentialLR(optimizer, { gamma: 0.93 });
        const losses: number[] = [];
        const train = async (from: number, to: number, s: typeof step, sch: ExponentialLR) => {
          for (const [x, y] of data.slice(from, to)) {
            const { loss } = s(x, y);
            losses.push((await loss.data())[0]);
            loss.dispose();
            sch.step();
          }
        };
        await train(0, 8, step, scheduler);
        const modelState = model.stateDict();
        const saved = Object.fromEntries(Object.entries(modelState).map(([k, v]) => [k, v.clone()]));
        const optimState = optimizer.stateDict();
        const schedState = scheduler.stateDict();
        step.dispose();
        optimizer.dispose();
        model.dispose();
        const model2 = makeModel();
        model2.loadStateDict(saved);
        const optimizer2 = make(model2.parameters());
        optimizer2.loadStateDict(optimState);
        const scheduler2 = new ExponentialLR(optimizer2, { gamma: 0.93 });
        scheduler2.loadStateDict(schedState);
        step = compileStep(model2, crossEntropy, optimizer2, { clipGrads: clipGradNormTransform(0.5) });
        await train(8, 14, step, scheduler2);
        expect(losses, name).toEqual(straight.losses);
        expect(await stateBits(model2, optimizer2), name).toEqual(straight.bits);
        tf.dispose([
          ...Object.values(saved),
          ...Object.values(optimState.state).flatMap((s) => Object.values(s)),
        ]);
        step.dispose();
        optimizer2.dispose();
        model2.dispose();
      }
      tf.dispose(data.flat());
    });

    it('re-traces after loadStateDict into the same optimizer (new state variables) and stays exact; a kept stateDict keeps its values', async () => {
      await useBackend(backend);
      const data = batches(10);
      for (const name of ['Adam', 'Adam fused', 'SGD momentum fused']) {
        const make = OPTIMIZERS[name];
        const eager = await run(make, false, false, data.slice(0, 6).concat(data.slice(3, 7)));
        const model = makeModel();
        const optimizer = make(model.parameters());
        const scheduler = new ExponentialLR(optimizer, { gamma: 0.93 });
        const step = compileStep(model, crossEntropy, optimizer);
        for (const [x, y] of data.slice(0, 6)) {
          step(x, y).loss.dispose();
          scheduler.step();
        }
        const saved = optimizer.stateDict();
        const savedTensors = Object.values(saved.state).flatMap((s) => Object.values(s)) as tf.Tensor[];
        const savedBits = await bitsOf(savedTensors.filter((t) => t instanceof tf.Tensor));
        optimizer.loadStateDict(saved);
        for (const [x, y] of data.slice(3, 7)) {
          step(x, y).loss.dispose();
          scheduler.step();
        }
        expect(await stateBits(model, optimizer), name).toEqual(eager.bits);
        expect(step.stats.compiledUpdates, name).toBe(name.startsWith('SGD') ? 9 : 10);
        // The state written in place after the load shared its buffers with the saved dict: not any more.
        expect(await bitsOf(savedTensors.filter((t) => t instanceof tf.Tensor)), name).toEqual(savedBits);
        tf.dispose(savedTensors);
        step.dispose();
        optimizer.dispose();
        model.dispose();
      }
      tf.dispose(data.flat());
    });

    if (backend === 'wasm') {
      it('replays the fused wasm kernels (NntkFusedAdam, NntkFusedSgd) inside the compiled step', async () => {
        await useBackend(backend);
        const data = batches(6);
        for (const [name, kernelName] of [
          ['AdamW fused', 'NntkFusedAdam'],
          ['SGD nesterov fused', 'NntkFusedSgd'],
        ]) {
          const model = makeModel();
          const optimizer = OPTIMIZERS[name](model.parameters());
          const step = compileStep(model, crossEntropy, optimizer, { clipGrads: clipGradNormTransform(0.5) });
          step(...data[0]).loss.dispose(); // registers the kernels (SGD: its eager first step)
          const original = tf.getKernel(kernelName, 'wasm');
          if (!original) throw new Error(`${kernelName} is not registered`);
          let calls = 0;
          tf.unregisterKernel(kernelName, 'wasm');
          tf.registerKernel({
            ...original,
            kernelFunc: (args) => {
              calls += 1;
              return original.kernelFunc(args);
            },
          });
          try {
            for (const [x, y] of data.slice(1)) step(x, y).loss.dispose();
          } finally {
            tf.unregisterKernel(kernelName, 'wasm');
            tf.registerKernel(original);
          }
          expect(calls, name).toBe(5 * model.parameters().length);
          expect(step.stats.replays, name).toBeGreaterThanOrEqual(3);
          expect(step.stats.compiledUpdates, name).toBe(name.startsWith('SGD') ? 5 : 6);
          // Only SGD's first step (its momentum buffer is made from the first gradient) ran eagerly.
          if (name.startsWith('SGD')) expect(step.stats.eagerUpdateReason, name).toMatch(/momentum buffer/);
          else expect(step.stats.eagerUpdateReason, name).toBeUndefined();
          step.dispose();
          optimizer.dispose();
          model.dispose();
        }
        tf.dispose(data.flat());
      });
    }

    it('runs the update eagerly, and says why, where it cannot be compiled', async () => {
      await useBackend(backend);
      const data = batches(4);
      const cases: Array<[string, Make, RegExp, ((g: Map<tf.Variable, tf.Tensor>) => void)?]> = [
        ['skipNonFinite', (p) => new Adam(p, { skipNonFinite: true, fused: false }), /skipNonFinite/],
        [
          'a plain clipGrads function',
          (p) => new Adam(p, { fused: false }),
          /plain function/,
          (g) => clipGradNorm(g, 1).totalNorm.dispose(),
        ],
      ];
      for (const [name, make, reason, clipGrads] of cases) {
        const model = makeModel();
        const optimizer = make(model.parameters());
        const step = compileStep(model, crossEntropy, optimizer, { clipGrads });
        for (const [x, y] of data) {
          const result = step(x, y);
          expect(result.compiledUpdate, name).toBe(false);
          result.loss.dispose();
          await optimizer.settled();
        }
        expect(step.stats.eagerUpdates, name).toBe(4);
        expect(step.stats.eagerUpdateReason, name).toMatch(reason);
        expect(step.stats.replays, name).toBe(2);
        step.dispose();
        optimizer.dispose();
        model.dispose();
      }
      tf.dispose(data.flat());
    });
  });
}
