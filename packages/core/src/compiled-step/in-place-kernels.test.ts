// compileStep with an update whose kernel writes a variable's buffer in place and hands it back (as
// @nntk/backend-wasm's fused optimizer updates do), declared with registerInPlaceKernel: a test kernel on
// the cpu backend, written against core only.
import * as tf from '@tensorflow/tfjs-core';
import { expect, it } from 'vitest';
import { Module, Parameter, seed, useBackend, valueAndGrads } from '../index';
import type { Gradients } from '../value-and-grads';
import { compileStep, type StepOptimizer } from './compile-step';
import { isInPlaceKernel, registerInPlaceKernel } from './in-place-kernels';
import type { ReplayableUpdate } from './replayable-update';

const KERNEL = 'TestInPlaceMomentum';

interface CpuBackend {
  data: { get(dataId: object): { values: Float32Array } };
  refCount(dataId: object): number;
  incRef(dataId: object): void;
  makeTensorInfo(shape: number[], dtype: 'float32', values: Float32Array): tf.TensorInfo;
}

/** `buffer ← 0.9·buffer + grad`, in place when only the buffer's variable holds it, else into a copy. */
function inPlaceMomentum({ inputs, backend }: { inputs: tf.NamedTensorInfoMap; backend: unknown }) {
  const cpu = backend as CpuBackend;
  const { buffer, grad } = inputs as Record<string, tf.TensorInfo>;
  let out: tf.TensorInfo;
  if (cpu.refCount(buffer.dataId) === 1) {
    cpu.incRef(buffer.dataId);
    out = { dataId: buffer.dataId, shape: buffer.shape, dtype: 'float32' };
  } else {
    out = cpu.makeTensorInfo(buffer.shape, 'float32', cpu.data.get(buffer.dataId).values.slice());
  }
  const b = cpu.data.get(out.dataId).values;
  const g = cpu.data.get(grad.dataId).values;
  for (let i = 0; i < b.length; i++) b[i] = Math.fround(0.9 * b[i]) + g[i];
  return [out];
}

class Net extends Module {
  readonly w = tf.tidy(() => new Parameter(tf.randomNormal([4, 3], 0, 1, 'float32', 1)));
  forward(x: tf.Tensor): tf.Tensor {
    return tf.matMul(x, this.w);
  }
}

const mse = (output: tf.Tensor, target: tf.Tensor) => tf.mean(tf.square(tf.sub(output, target)));

/** SGD with momentum whose buffer is updated by the in-place kernel; lr from the step count. */
class InPlaceSgd implements StepOptimizer {
  steps = 0;
  readonly buffers: tf.Variable[];
  constructor(readonly params: tf.Variable[]) {
    this.buffers = tf.tidy(() => params.map((p) => tf.variable(tf.zerosLike(p), false)));
  }
  private device(grads: Gradients, lr: tf.Scalar): void {
    tf.tidy(() => {
      this.params.forEach((p, i) => {
        const buffer = this.buffers[i];
        const inputs = { buffer, grad: grads.get(p) as tf.Tensor };
        const result = tf.engine().runKernel(KERNEL, inputs);
        const [next] = Array.isArray(result) ? result : [result];
        buffer.assign(next);
        p.assign(tf.sub(p, tf.mul(buffer, lr)));
      });
    });
  }
  step(grads: Gradients): void {
    const lr = tf.scalar(0.1 * 0.8 ** this.steps);
    this.device(grads, lr);
    lr.dispose();
    this.steps += 1;
  }
  prepareStep(): ReplayableUpdate {
    return {
      scalars: [0.1 * 0.8 ** this.steps],
      signature: this.buffers.map((b) => b.id).join(','),
      update: (grads, [lr]) => this.device(grads, lr),
      commit: () => {
        this.steps += 1;
      },
    };
  }
}

async function train(compiled: boolean, steps: number, keepAt?: number) {
  await useBackend('cpu');
  if (!tf.getKernel(KERNEL, 'cpu'))
    tf.registerKernel({ kernelName: KERNEL, backendName: 'cpu', kernelFunc: inPlaceMomentum });
  registerInPlaceKernel(KERNEL);
  const start = tf.memory().numTensors;
  seed(3);
  const net = new Net();
  const optimizer = new InPlaceSgd(net.parameters());
  const step = compileStep(net, mse, optimizer);
  const counts: number[] = [];
  let kept: { clone: tf.Tensor; values: Float32Array } | undefined;
  for (let i = 0; i < steps; i++) {
    if (i === keepAt) {
      // A clone shares the buffer (as a saved state dict does): the kernel must write a copy.
      const clone = optimizer.buffers[0].clone();
      kept = { clone, values: (await clone.data()) as Float32Array };
    }
    const x = tf.randomNormal([5, 4], 0, 1, 'float32', 10 + i);
    const y = tf.randomNormal([5, 3], 0, 1, 'float32', 30 + i);
    if (compiled) step(x, y).loss.dispose();
    else {
      const { value, grads } = valueAndGrads(() => mse(net.forward(x), y) as tf.Scalar, net.parameters());
      optimizer.step(grads);
      tf.dispose([value, ...grads.values()]);
    }
    tf.dispose([x, y]);
    counts.push(tf.memory().numTensors - (kept ? 1 : 0));
  }
  const bits = await Promise.all(
    [...net.parameters(), ...optimizer.buffers].map(async (t) =>
      Array.from(new Uint32Array((await t.data()).buffer.slice(0))),
    ),
  );
  const keptUnchanged = kept
    ? Array.from(await kept.clone.data()).every((v, i) => v === kept?.values[i])
    : true;
  kept?.clone.dispose();
  const stats = { ...step.stats };
  step.dispose();
  tf.dispose([...optimizer.buffers]);
  net.dispose();
  return { bits, counts, stats, keptUnchanged, leaked: tf.memory().numTensors - start };
}

it('replays a kernel that writes a variable in place: kept, assigned, bit-identical, a shared buffer copied', async () => {
  expect(isInPlaceKernel('Identity')).toBe(false);
  const eager = await train(false, 10);
  const compiled = await train(true, 10, 6);
  // Without the declaration the call would be dropped as dead (its output is the variable's own buffer)
  // and the copy made for the shared buffer never assigned.
  expect(compiled.bits).toEqual(eager.bits);
  expect(isInPlaceKernel(KERNEL)).toBe(true);
  expect(compiled.stats).toMatchObject({ traces: 2, replays: 8, compiledUpdates: 10, eagerUpdates: 0 });
  expect(compiled.keptUnchanged).toBe(true);
  expect(new Set(compiled.counts.slice(2)).size).toBe(1);
  expect([eager.leaked, compiled.leaked]).toEqual([0, 0]);
});
