import * as tf from '@tensorflow/tfjs-core';
import { coreHeapKernels, windowGeometry } from './heap-kernels';
import { heapOffset, heapView, type WasmHeapBackend } from './wasm-heap';

interface MaxPoolGradAttrs {
  filterSize: [number, number] | number;
  strides: [number, number] | number;
  pad: 'valid' | 'same' | number;
  dimRoundingMode?: 'floor' | 'round' | 'ceil';
}

/**
 * The max-pool gradient, routed to the first maximal element of each window in row-major order (the
 * element PyTorch and tfjs's cpu backend pick; tfjs's wasm kernel picks wrong ones). A window scan is
 * inherently a loop: it runs on the wasm heap without copies, as WebAssembly SIMD (heap-kernels.wat) or,
 * where that cannot run, as the equivalent JavaScript loop, O(N·oh·ow·C·k²).
 */
export function maxPoolGrad(
  dy: tf.TensorInfo,
  input: tf.TensorInfo,
  attrs: MaxPoolGradAttrs,
  backend: WasmHeapBackend,
): tf.TensorInfo {
  const info = tf.backend_util.computePool2DInfo(
    input.shape as [number, number, number, number],
    attrs.filterSize,
    attrs.strides,
    1,
    attrs.pad,
    attrs.dimRoundingMode,
  );
  const out = backend.makeOutput(input.shape, 'float32');
  if (tf.util.sizeFromShape(dy.shape) === 0) {
    heapView(backend, out)?.fill(0);
    return out;
  }
  const kernels = coreHeapKernels(backend);
  if (kernels) {
    const [x, g, dx] = [input, dy, out].map((t) => heapOffset(backend, t));
    kernels.maxPoolGrad(x, g, dx, ...windowGeometry(input.shape, info));
  } else {
    const [x, g, dx] = [input, dy, out].map((t) => heapView(backend, t) as Float32Array);
    maxPoolGradLoop(x, g, dx, input.shape, info);
  }
  return out;
}

/** The JavaScript form of the kernel; the running argmax per channel is seeded by the first in-bounds element. */
function maxPoolGradLoop(
  x: Float32Array,
  g: Float32Array,
  dx: Float32Array,
  shape: number[],
  info: tf.backend_util.Conv2DInfo,
): void {
  const { strideHeight: sh, strideWidth: sw, filterHeight: fh, filterWidth: fw } = info;
  const { outHeight: oh, outWidth: ow } = info;
  const { top, left } = info.padInfo;
  const [n, height, width, c] = shape;
  dx.fill(0);
  const where = new Int32Array(c);
  for (let b = 0; b < n; b++) {
    for (let i = 0; i < oh; i++) {
      for (let j = 0; j < ow; j++) {
        let seeded = false;
        for (let u = 0; u < fh; u++) {
          const row = i * sh + u - top;
          if (row < 0 || row >= height) continue;
          for (let v = 0; v < fw; v++) {
            const col = j * sw + v - left;
            if (col < 0 || col >= width) continue;
            const base = ((b * height + row) * width + col) * c;
            if (!seeded) {
              for (let ch = 0; ch < c; ch++) where[ch] = base + ch;
              seeded = true;
              continue;
            }
            for (let ch = 0; ch < c; ch++) if (x[base + ch] > x[where[ch]]) where[ch] = base + ch;
          }
        }
        if (!seeded) continue;
        const outBase = ((b * oh + i) * ow + j) * c;
        for (let ch = 0; ch < c; ch++) dx[where[ch]] += g[outBase + ch];
      }
    }
  }
}
