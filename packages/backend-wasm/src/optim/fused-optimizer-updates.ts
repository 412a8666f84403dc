import { type FusedOptimizerUpdates, NntkError, registerInPlaceKernel } from '@nntk/core';
import * as tf from '@tensorflow/tfjs-core';
import { wasmBackend } from '../wasm-heap';
import { FUSED_ADAM, type FusedAdamAttrs, fusedAdamKernel } from './fused-adam';
import { FUSED_SGD, type FusedSgdAttrs, fusedSgdKernel } from './fused-sgd';

export interface FusedOptimizerUpdatesOptions {
  /**
   * Run the WebAssembly SIMD kernels (fused-kernels.wat) where they instantiate. Default true; false
   * always takes the JavaScript loops they fall back to where WASM SIMD is missing (tests check those).
   */
  simd?: boolean;
}

function checkWasmBackend(): void {
  if (!wasmBackend()) {
    throw new NntkError(
      'UNSUPPORTED',
      "fusedOptimizerUpdates: the active backend is not tfjs's wasm backend; ask backendCapability() at each step",
    );
  }
}

/**
 * Registers the fused update kernels on the wasm backend (once), declared as writing their state inputs
 * in place so that `compileStep` keeps them and assigns what they hand back.
 */
function registerFusedUpdateKernels(): void {
  for (const [kernelName, kernelFunc] of [
    [FUSED_ADAM, fusedAdamKernel],
    [FUSED_SGD, fusedSgdKernel],
  ] as const) {
    if (tf.getKernel(kernelName, 'wasm')) continue;
    tf.registerKernel({ kernelName, backendName: 'wasm', kernelFunc });
    registerInPlaceKernel(kernelName);
  }
}

/** Runs a fused update kernel through the engine (so a compiled step traces it) and assigns its outputs. */
function runUpdate(
  kernelName: string,
  inputs: tf.NamedTensorMap,
  attrs: FusedAdamAttrs | FusedSgdAttrs,
  targets: tf.Variable[],
): void {
  const result = tf.engine().runKernel(kernelName, inputs, attrs);
  const outs = Array.isArray(result) ? result : [result];
  targets.forEach((target, i) => {
    target.assign(outs[i]);
  });
  tf.dispose(outs);
}

/**
 * The `fusedOptimizerUpdates` backend capability on tfjs's wasm backend: Adam/AdamW and SGD updates in one
 * pass over the wasm heap, each one registered kernel (`NntkFusedAdam`, `NntkFusedSgd`) that reads the
 * per-step numbers from float32 scalar inputs and writes the optimizer state in place, so `compileStep`
 * replays it. `useBackend('wasm')` registers the default one; a test can register another
 * (`registerBackendCapability('wasm', 'fusedOptimizerUpdates', createFusedOptimizerUpdates({ simd: false }))`).
 */
export function createFusedOptimizerUpdates(
  options: FusedOptimizerUpdatesOptions = {},
): FusedOptimizerUpdates {
  const simd = options.simd ?? true;
  return {
    adam(param, grad, expAvg, expAvgSq, step) {
      checkWasmBackend();
      registerFusedUpdateKernels();
      const { stepSize, bc2Sqrt, decay, beta1, beta2, eps, weightDecay, decoupled, maximize } = step;
      const inputs: tf.NamedTensorMap = { param, grad, expAvg, expAvgSq, stepSize, bc2Sqrt };
      if (decoupled && decay) inputs.decay = decay;
      const attrs = { beta1, beta2, eps, weightDecay, decoupled, maximize, simd };
      runUpdate(FUSED_ADAM, inputs, attrs, [param, expAvg, expAvgSq]);
    },
    sgd(param, grad, buffer, step) {
      checkWasmBackend();
      registerFusedUpdateKernels();
      const { lr, momentum, dampening, weightDecay, nesterov, maximize, first } = step;
      const inputs: tf.NamedTensorMap = { param, grad, lr };
      if (buffer) inputs.buffer = buffer;
      const attrs = { momentum, dampening, weightDecay, nesterov, maximize, first, simd };
      runUpdate(FUSED_SGD, inputs, attrs, buffer ? [param, buffer] : [param]);
    },
  };
}
