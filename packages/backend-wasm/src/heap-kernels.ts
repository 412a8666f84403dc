import * as tf from '@tensorflow/tfjs-core';
import { HEAP_KERNELS_FLAG } from './flags';
import { HEAP_KERNELS_WASM } from './heap-kernels-wasm';
import { heapKernels, type WasmHeapBackend } from './wasm-heap';

/**
 * The geometry every window kernel takes: an `[n, height, width, channels]` input, an `outHeight × outWidth`
 * grid of `windowHeight × windowWidth` windows `strideHeight`, `strideWidth` apart, starting `top`, `left`
 * before the input (the padding).
 */
export type WindowGeometry = [
  n: number,
  height: number,
  width: number,
  channels: number,
  outHeight: number,
  outWidth: number,
  windowHeight: number,
  windowWidth: number,
  strideHeight: number,
  strideWidth: number,
  top: number,
  left: number,
];

/** The geometry of a pooling or convolution window over `inputShape`, from tfjs's conv/pool info. */
export function windowGeometry(
  [n, height, width, channels]: number[],
  info: tf.backend_util.Conv2DInfo,
  images = n,
): WindowGeometry {
  const { outHeight, outWidth, filterHeight, filterWidth, strideHeight, strideWidth, padInfo } = info;
  return [
    images,
    height,
    width,
    channels,
    outHeight,
    outWidth,
    filterHeight,
    filterWidth,
    strideHeight,
    strideWidth,
    padInfo.top,
    padInfo.left,
  ];
}

/** The kernels of heap-kernels.wat; pointers are byte offsets into tfjs's wasm heap, tensors NHWC float32. */
export interface CoreHeapKernels {
  maxPoolGrad(x: number, dy: number, dx: number, ...geometry: WindowGeometry): void;
  patchesTransposed(x: number, out: number, ...geometry: WindowGeometry): void;
  transpose(x: number, out: number, batch: number, rows: number, cols: number): void;
  reluGrad(x: number, dy: number, dx: number, n: number): void;
  gemmSmall(a: number, b: number, c: number, m: number, k: number, n: number): void;
}

/** The kernels on the backend's memory, or undefined where they cannot run (or {@link HEAP_KERNELS_FLAG} is off). */
export function coreHeapKernels(backend: WasmHeapBackend): CoreHeapKernels | undefined {
  return tf.env().getBool(HEAP_KERNELS_FLAG)
    ? heapKernels<CoreHeapKernels>(backend, HEAP_KERNELS_WASM)
    : undefined;
}
