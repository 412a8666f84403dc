import type { BackendFix } from '@nntk/core';
import * as tf from '@tensorflow/tfjs-core';
import { batchNormGrad, batchNormTrain } from './batch-norm';
import { conv2dBackpropFilter } from './conv2d-backprop-filter';
import { conv2dBackpropInput } from './conv2d-backprop-input';
import { depthwiseConv2dBackpropFilter, depthwiseConv2dBackpropInput } from './depthwise-conv2d-backprop';
import { withBlockGather } from './gather';
import { withHeapGemm } from './heap-gemm';
import type { KernelFunction, KernelWrapper } from './kernel-wrapper';
import { withExplicitTransposes } from './matmul-transposes';
import { maxPoolGrad } from './max-pool-grad';
import { withFloatOneHot } from './one-hot';
import { reluBiasGrad } from './relu-bias-grad';
import { reluGradientConfig } from './relu-gradient';
import { softmaxCrossEntropy } from './softmax-cross-entropy';
import { withLeadingAxesSum } from './sum-leading-axes';
import { withMatrixTranspose } from './transpose';
import { unsortedSegmentSum } from './unsorted-segment-sum';

/**
 * nntk's fixes for tfjs's wasm backend, in the order `useBackend('wasm')` applies them (its plugin's
 * `fixes`): kernels tfjs lacks or gets wrong, and fast paths. Each is listed in `backendInfo().fixes`.
 */
export const wasmFixes: BackendFix[] = [];

function addFix(fix: BackendFix): void {
  if (!wasmFixes.some((f) => f.name === fix.name)) wasmFixes.push(fix);
}

function replaceKernel(kernelName: string, kernelFunc: KernelFunction): void {
  if (tf.getKernel(kernelName, 'wasm')) tf.unregisterKernel(kernelName, 'wasm');
  tf.registerKernel({ kernelName, backendName: 'wasm', kernelFunc });
}

const fixes: [string, string, KernelFunction][] = [
  [
    'Conv2DBackpropInput',
    'slow on wasm (a scalar loop): rebuilt as one XNNPACK convolution',
    ({ inputs, attrs }) => conv2dBackpropInput(inputs.dy, inputs.filter, attrs),
  ],
  [
    'Conv2DBackpropFilter',
    'missing on wasm: rebuilt as one XNNPACK convolution',
    ({ inputs, attrs }) => conv2dBackpropFilter(inputs.x, inputs.dy, attrs),
  ],
  [
    'DepthwiseConv2dNativeBackpropInput',
    'missing on wasm: a block-diagonal Conv2DBackpropInput',
    ({ inputs, attrs }) => depthwiseConv2dBackpropInput(inputs.dy, inputs.filter, attrs.inputShape, attrs),
  ],
  [
    'DepthwiseConv2dNativeBackpropFilter',
    'missing on wasm: the diagonal blocks of Conv2DBackpropFilter',
    ({ inputs, attrs }) => depthwiseConv2dBackpropFilter(inputs.x, inputs.dy, attrs.filterShape, attrs),
  ],
  [
    'MaxPoolGrad',
    'wrong on wasm (gradient to the wrong element): first-maximum routing',
    ({ inputs, attrs, backend }) => maxPoolGrad(inputs.dy, inputs.input, attrs, backend),
  ],
  [
    'UnsortedSegmentSum',
    'missing on wasm: one pass adding each row into its segment on the heap',
    ({ inputs, attrs, backend }) =>
      unsortedSegmentSum(inputs.x, inputs.segmentIds, attrs.numSegments, backend),
  ],
  [
    'NntkReluBiasGrad',
    'fused: ReLU gradient and bias gradient in one heap pass',
    ({ inputs, backend }) => reluBiasGrad(inputs.y, inputs.dy, backend),
  ],
  [
    'NntkSoftmaxCrossEntropy',
    'fused: softmax cross-entropy forward and backward in one pass',
    ({ inputs, attrs, backend }) => softmaxCrossEntropy(inputs.logits, inputs.labels, attrs, backend),
  ],
  [
    'NntkBatchNormTrain',
    'fused: BatchNorm training forward in one kernel',
    ({ inputs, attrs, backend }) => batchNormTrain(inputs, attrs.eps, backend),
  ],
  [
    'NntkBatchNormGrad',
    'fused: BatchNorm backward in one kernel',
    ({ inputs, backend }) => batchNormGrad(inputs, backend),
  ],
];

for (const [kernelName, description, kernelFunc] of fixes) {
  addFix({
    name: kernelName,
    description,
    apply: () => replaceKernel(kernelName, kernelFunc),
  });
}

/** Registers a fix that wraps tfjs's own wasm kernel (the wrapper falls back to it where it does not apply). */
function wrapKernel(kernelName: string, name: string, description: string, wrap: KernelWrapper): void {
  addFix({
    name,
    description,
    apply: () => {
      const original = tf.getKernel(kernelName, 'wasm');
      if (!original) return;
      tf.unregisterKernel(kernelName, 'wasm');
      tf.registerKernel({ ...original, kernelFunc: wrap(original.kernelFunc) });
    },
  });
}

for (const kernelName of ['BatchMatMul', '_FusedMatMul']) {
  wrapKernel(
    kernelName,
    `${kernelName} (explicit transposes)`,
    'transposed operands are transposed first so the product runs on XNNPACK, not a scalar loop',
    withExplicitTransposes,
  );
}

for (const kernelName of ['BatchMatMul', '_FusedMatMul']) {
  wrapKernel(
    kernelName,
    `${kernelName} (heap GEMM)`,
    'float32 products run as a WebAssembly SIMD GEMM on the heap that packs nothing (XNNPACK packs the right operand on every call), bias and ReLU fused',
    withHeapGemm,
  );
}

wrapKernel(
  'Identity',
  'Identity (shared storage)',
  'a clone shares its storage (as on cpu) instead of copying it; tfjs clones every tensor saved for backprop',
  (original) => (args) => {
    const x = args.inputs.x as tf.TensorInfo;
    if (x.dtype === 'string') return original(args);
    args.backend.incRef(x.dataId);
    return { dataId: x.dataId, shape: x.shape, dtype: x.dtype };
  },
);

wrapKernel(
  'Sum',
  'Sum (leading axes as average pooling)',
  'a float32 sum over leading axes (bias gradients) runs on XNNPACK instead of a transpose and loop',
  withLeadingAxesSum,
);

wrapKernel(
  'GatherV2',
  'GatherV2 (storage shape)',
  "the gathered tensor's storage records its final shape, not the 4-D working shape (a gathered bias was rejected as rank 4)",
  (original) => (args) => {
    const out = original(args) as tf.TensorInfo;
    const stored = args.backend.dataIdMap.get(out.dataId);
    if (stored) stored.shape = out.shape;
    return out;
  },
);

wrapKernel(
  'Transpose',
  'Transpose (matrix transposes in SIMD)',
  'a float32 (batched) matrix transpose runs as a WebAssembly SIMD kernel on 4 × 4 blocks, not a scalar loop',
  withMatrixTranspose,
);

addFix({
  name: 'Relu gradient (one pass)',
  description: "the ReLU gradient runs as one heap-kernel pass instead of tfjs's step, cast and multiply",
  apply: () => tf.registerGradient(reluGradientConfig),
});

wrapKernel(
  'OneHot',
  'OneHot (float32)',
  'a float32 one-hot was written as int32 bits (values near 1e-45) and fractional on/off values were truncated',
  withFloatOneHot,
);

wrapKernel(
  'GatherV2',
  'GatherV2 (row copies)',
  'a gather without batch dimensions (an embedding lookup) copies whole rows on the heap instead of walking every element',
  withBlockGather,
);
