// One run of the compiled-update A/B (see README.md here): trains the bench MLP or DeepFCNet on wasm
// with Adam for a fixed number of steps and prints samples per CPU-second of the timed steps as JSON.
// Usage: node step.mjs <mlp|deepfcnet> <eager|backward|update> <fused|unfused>
import { compileStep, seed, useBackend, valueAndGrads } from '@nntk/core';
import { crossEntropy, DeepFCNet, MLP, mseLoss } from '@nntk/layers';
import { Adam } from '@nntk/optim';
import * as tf from '@tensorflow/tfjs-core';

const [which, mode, fusedArg] = process.argv.slice(2);
await useBackend('wasm');
seed(0);
const mlp = which === 'mlp';
const batch = mlp ? 128 : 64;
const model = mlp
  ? new MLP({ sizes: [784, 256, 128, 10] })
  : new DeepFCNet({ inputDim: 48, width: 96, depth: 16, outputDim: 48, init: 'rezero' });
const lossFn = mlp ? crossEntropy : mseLoss;
const optimizer = new Adam(model.parameters(), { lr: 1e-3, fused: fusedArg === 'fused' });
const batches = Array.from({ length: 8 }, (_, i) => [
  tf.randomNormal([batch, mlp ? 784 : 48], 0, 1, 'float32', 1 + i),
  mlp
    ? tf.tensor1d(
        Array.from({ length: batch }, (_, j) => (i * 7 + j) % 10),
        'int32',
      )
    : tf.randomNormal([batch, 48], 0, 1, 'float32', 100 + i),
]);
const step =
  mode === 'eager' ? undefined : compileStep(model, lossFn, optimizer, { compileUpdate: mode === 'update' });
const train = async (i) => {
  const [x, y] = batches[i % batches.length];
  if (step) {
    const { loss } = step(x, y);
    await loss.data();
    loss.dispose();
    return;
  }
  const { value, grads } = valueAndGrads(() => lossFn(model.forward(x), y), model.parameters());
  optimizer.step(grads);
  await value.data();
  tf.dispose([value, ...grads.values()]);
};
for (let i = 0; i < 10; i++) await train(i);
const steps = Number(process.env.STEPS ?? (mlp ? 200 : 120));
const before = tf.memory().numTensors;
const cpu = process.cpuUsage();
const wall = performance.now();
for (let i = 0; i < steps; i++) await train(i);
const { user, system } = process.cpuUsage(cpu);
const seconds = (user + system) / 1e6;
console.log(
  JSON.stringify({
    model: which,
    mode,
    fused: fusedArg === 'fused',
    samplesPerCpuSecond: (steps * batch) / seconds,
    samplesPerSecond: (steps * batch) / ((performance.now() - wall) / 1000),
    flat: tf.memory().numTensors === before,
    stats: step
      ? {
          replays: step.stats.replays,
          compiledUpdates: step.stats.compiledUpdates,
          eagerUpdateReason: step.stats.eagerUpdateReason,
          kernelsPerReplay: step.stats.kernelsPerReplay,
        }
      : undefined,
  }),
);
