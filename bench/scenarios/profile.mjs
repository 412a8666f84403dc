// `pnpm bench -- --profile <scenario>`: per-kernel timers for one epoch, and the analytic FLOP counts the
// GFLOP/s column divides by. Timers wrap every kernel registered for the active backend (after nntk's fixes),
// so a kernel that runs others (nntk's wrappers: explicit transposes, conv gradients) is charged only its
// own (exclusive) time; what is left of the epoch is outside kernels: tfjs's engine (tape, gradient
// bookkeeping, tensor tracking), layer and optimizer JavaScript, and the data loader.
import * as tf from '@tensorflow/tfjs-core';

/** Wraps every kernel of the active backend with an exclusive timer; returns the stats and an uninstall. */
export function installKernelTimers() {
  const backendName = tf.getBackend();
  const stats = new Map();
  const stack = [];
  const originals = tf.getKernelsForBackend(backendName);
  for (const kernel of originals) {
    const { kernelName, kernelFunc } = kernel;
    const timed = (args) => {
      const frame = { children: 0 };
      stack.push(frame);
      const started = performance.now();
      try {
        return kernelFunc(args);
      } finally {
        const total = performance.now() - started;
        stack.pop();
        if (stack.length > 0) stack[stack.length - 1].children += total;
        const entry = stats.get(kernelName) ?? { kernel: kernelName, ms: 0, count: 0 };
        entry.ms += total - frame.children;
        entry.count += 1;
        stats.set(kernelName, entry);
      }
    };
    tf.unregisterKernel(kernelName, backendName);
    tf.registerKernel({ ...kernel, kernelFunc: timed });
  }
  return {
    stats,
    uninstall() {
      for (const kernel of originals) {
        tf.unregisterKernel(kernel.kernelName, backendName);
        tf.registerKernel(kernel);
      }
    },
  };
}

/** Runs `epoch()` once under kernel timers: the epoch's wall time and each kernel's exclusive time and count. */
export async function profileEpoch(epoch) {
  const timers = installKernelTimers();
  const started = performance.now();
  try {
    await epoch();
  } finally {
    timers.uninstall();
  }
  const epochMs = performance.now() - started;
  const kernels = [...timers.stats.values()].sort((a, b) => b.ms - a.ms);
  const kernelMs = kernels.reduce((sum, k) => sum + k.ms, 0);
  return { epochMs, kernelMs, kernels };
}

/**
 * FLOPs of one training sample's forward and backward through dense and convolution layers (multiply and add
 * counted as 2): forward `2·in·out` (per output pixel and tap for a convolution), the same again for the
 * weight gradient and for the input gradient, except for the first layer, whose input gradient is not
 * computed (the data needs none; PyTorch skips it too). Element-wise work, pooling, the loss and the
 * optimizer are left out: this is the GEMM work the WASM GEMM peak bounds.
 */
export function trainingFlopsPerSample(layers) {
  return layers.reduce((total, layer, i) => {
    const forward =
      layer.kind === 'conv'
        ? 2 *
          layer.outHeight *
          layer.outWidth *
          layer.outChannels *
          layer.kernel *
          layer.kernel *
          layer.inChannels
        : 2 * layer.in * layer.out;
    return total + forward * (i === 0 ? 2 : 3);
  }, 0);
}

/** Dense layers `sizes[0] → sizes[1] → …` for {@link trainingFlopsPerSample}. */
export function denseLayers(sizes) {
  return sizes.slice(1).map((out, i) => ({ kind: 'dense', in: sizes[i], out }));
}

/** Training FLOPs per sample of the bench models, by scenario (the same model on every system). */
export const scenarioFlopsPerSample = {
  // MLP 784-256-128-10.
  mlp: trainingFlopsPerSample(denseLayers([784, 256, 128, 10])),
  // conv3x3x32 (28×28) - pool - conv3x3x64 (14×14) - pool - fc 3136→128 - fc 128→10.
  cnn: trainingFlopsPerSample([
    { kind: 'conv', outHeight: 28, outWidth: 28, outChannels: 32, kernel: 3, inChannels: 1 },
    { kind: 'conv', outHeight: 14, outWidth: 14, outChannels: 64, kernel: 3, inChannels: 32 },
    ...denseLayers([64 * 7 * 7, 128, 10]),
  ]),
  // DeepFCNet: 48→96, 16 blocks of two 96→96, 96→48.
  deepfcnet: trainingFlopsPerSample(denseLayers([48, ...Array(33).fill(96), 48])),
};
