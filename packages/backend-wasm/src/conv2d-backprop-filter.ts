import * as tf from '@tensorflow/tfjs-core';
import { PATCH_BLOCK_FLOATS_FLAG } from './flags';
import { type CoreHeapKernels, coreHeapKernels, windowGeometry } from './heap-kernels';
import { heapOffset, type WasmHeapBackend, wasmBackend } from './wasm-heap';

interface Conv2DBackpropFilterAttrs {
  strides: [number, number] | number;
  pad: 'valid' | 'same' | number | tf.backend_util.ExplicitPadding;
  dataFormat: 'NHWC' | 'NCHW';
  dimRoundingMode?: 'floor' | 'round' | 'ceil';
  filterShape: [number, number, number, number];
}

/**
 * Up to this many patch columns and filters (a first layer: 3×3×1 → 32), heap-kernels.wat's `gemmSmall` computes
 * the product: about 0.3 ns a multiply-add on one thread, against XNNPACK's packing of its right operand at
 * about 10 ns a float (`kh·kw·ci` or `co` floats per row of k), which then dominates.
 */
const SMALL_PRODUCT = 48;

/**
 * The filter gradient of a 2-D convolution as matmuls on XNNPACK: with the transposed patch matrix of x
 * (heap-kernels.wat, `Pᵀ [kh·kw·ci, n·oh·ow]`) and dy as a matrix `D [n·oh·ow, co]`,
 * `dW[kh, kw, ci, co] = Σ x[n, kh + s·oh − pad, kw + s·ow − pad, ci]·dy[n, oh, ow, co]` is `Pᵀ·D`, summed
 * over blocks of images. XNNPACK repacks the right operand of every matmul it has not seen (about 10 ns
 * a float), so the smaller of D and P goes there: `Pᵀ·D`, or `(Dᵀ·P)ᵀ` when kh·kw·ci < co; when both are
 * small (a first layer), the heap kernel `gemmSmall` computes `Pᵀ·D` without packing. Where the heap kernels
 * cannot run, one forward convolution computes it.
 */
export function conv2dBackpropFilter(
  x: tf.Tensor4D,
  dy: tf.Tensor4D,
  attrs: Conv2DBackpropFilterAttrs,
): tf.Tensor4D {
  const info = tf.backend_util.computeConv2DInfo(
    x.shape,
    attrs.filterShape,
    attrs.strides,
    1,
    attrs.pad,
    attrs.dimRoundingMode,
    false,
    'channelsLast',
  );
  const backend = wasmBackend();
  const kernels = backend && x.dtype === 'float32' && dy.dtype === 'float32' && coreHeapKernels(backend);
  if (kernels && x.size > 0 && dy.size > 0) return patchesTimesGradient(backend, kernels, x, dy, info);
  return asConvolution(x, dy, attrs.filterShape, info);
}

function patchesTimesGradient(
  backend: WasmHeapBackend,
  kernels: CoreHeapKernels,
  x: tf.Tensor4D,
  dy: tf.Tensor4D,
  info: tf.backend_util.Conv2DInfo,
): tf.Tensor4D {
  const [n, height, width, c] = x.shape;
  const { outHeight, outWidth, filterHeight, filterWidth, outChannels } = info;
  const pixels = outHeight * outWidth;
  const patchSize = filterHeight * filterWidth * c;
  const perBlock = Math.max(
    1,
    Math.floor(tf.env().getNumber(PATCH_BLOCK_FLOATS_FLAG) / (patchSize * pixels)),
  );
  const partials: tf.Tensor2D[] = [];
  for (let first = 0; first < n; first += perBlock) {
    const images = Math.min(perBlock, n - first);
    const out = backend.makeOutput([patchSize, images * pixels], 'float32');
    kernels.patchesTransposed(
      heapOffset(backend, x) + first * height * width * c * 4,
      heapOffset(backend, out),
      ...windowGeometry(x.shape, info, images),
    );
    const patches = tf.engine().makeTensorFromTensorInfo(out) as tf.Tensor2D;
    if (Math.max(patchSize, outChannels) <= SMALL_PRODUCT && outChannels % 16 === 0) {
      const product = backend.makeOutput([patchSize, outChannels], 'float32');
      const rows = heapOffset(backend, dy) + first * pixels * outChannels * 4;
      kernels.gemmSmall(
        heapOffset(backend, out),
        rows,
        heapOffset(backend, product),
        patchSize,
        images * pixels,
        outChannels,
      );
      partials.push(tf.engine().makeTensorFromTensorInfo(product) as tf.Tensor2D);
      patches.dispose();
      continue;
    }
    const gradient = gradientRows(backend, dy, first * pixels, images * pixels);
    partials.push(
      tf.tidy(() =>
        patchSize >= outChannels
          ? tf.matMul(patches, gradient)
          : tf.transpose(tf.matMul(gradient, patches, true, true)),
      ) as tf.Tensor2D,
    );
    tf.dispose([patches, gradient]);
  }
  const sum = partials.length === 1 ? partials[0] : tf.addN(partials);
  const result = tf.reshape(sum, [filterHeight, filterWidth, c, outChannels]) as tf.Tensor4D;
  tf.dispose([sum, ...partials]);
  return result;
}

/** Rows [first, first + count) of dy as an `[count, co]` matrix: a copy on the heap (a reshape for all rows). */
function gradientRows(backend: WasmHeapBackend, dy: tf.Tensor4D, first: number, count: number): tf.Tensor2D {
  const channels = dy.shape[3];
  if (count * channels === dy.size) return tf.reshape(dy, [count, channels]);
  const out = backend.makeOutput([count, channels], 'float32');
  const from = heapOffset(backend, dy) + first * channels * 4;
  backend.wasm.HEAPU8.copyWithin(heapOffset(backend, out), from, from + count * channels * 4);
  return tf.engine().makeTensorFromTensorInfo(out) as tf.Tensor2D;
}

/**
 * The same gradient as one forward convolution: with the batch moved into the channel axis, it is the
 * convolution of `xᵀ [ci, H, W, N]` with `dyᵀ [oh, ow, N, co]` dilated by the stride.
 */
function asConvolution(
  x: tf.Tensor4D,
  dy: tf.Tensor4D,
  filterShape: [number, number, number, number],
  info: tf.backend_util.Conv2DInfo,
): tf.Tensor4D {
  return tf.tidy(() => {
    const [kh, kw] = filterShape;
    const [, height, width] = x.shape;
    const [, outHeight, outWidth] = dy.shape;
    const { top, left } = info.padInfo;
    const needH = kh + (outHeight - 1) * info.strideHeight;
    const needW = kw + (outWidth - 1) * info.strideWidth;
    // Pad (or crop) x so the "output" of the convolution below is exactly kh × kw.
    const bottom = needH - height - top;
    const right = needW - width - left;
    // Rows and columns no output reads are cropped; the zero padding goes to the convolution itself.
    const used =
      bottom < 0 || right < 0
        ? tf.slice(x, [0, 0, 0, 0], [-1, height + Math.min(bottom, 0), width + Math.min(right, 0), -1])
        : x;
    const input = tf.transpose(used, [3, 1, 2, 0]);
    const filter = tf.transpose(dy, [1, 2, 0, 3]);
    const pad: tf.backend_util.ExplicitPadding = [
      [0, 0],
      [top, Math.max(bottom, 0)],
      [left, Math.max(right, 0)],
      [0, 0],
    ];
    const result = tf.conv2d(input, filter, 1, pad, 'NHWC', [info.strideHeight, info.strideWidth]);
    return tf.transpose(result, [1, 2, 0, 3]);
  });
}
