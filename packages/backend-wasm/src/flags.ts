import * as tf from '@tensorflow/tfjs-core';

/**
 * tfjs environment flag (default true): the WebAssembly SIMD heap kernels of heap-kernels.wat run where
 * they can. `tf.env().set(HEAP_KERNELS_FLAG, false)` takes the paths used where they cannot (no WASM
 * SIMD), as the kernel tests do to check those paths.
 */
export const HEAP_KERNELS_FLAG = 'NNTK_WASM_HEAP_KERNELS';

/**
 * tfjs environment flag (default 2²⁴ floats, 64 MB): the filter gradient builds its patch matrix in blocks
 * of images of at most this many floats, which bounds its memory for large inputs. Below that, one block:
 * XNNPACK runs one long matmul faster than several short ones (a [288, 12544]·[12544, 64] product took
 * 23 ms, the same work in two blocks 31 ms).
 */
export const PATCH_BLOCK_FLOATS_FLAG = 'NNTK_WASM_PATCH_BLOCK_FLOATS';

/**
 * tfjs environment flag (default true): float32 `BatchMatMul` and `_FusedMatMul` run as gemm-kernels.wat's
 * WebAssembly SIMD matrix product on the heap (heap-gemm.ts) instead of XNNPACK, which packs its right operand
 * on every call. Off: XNNPACK for every product.
 */
export const HEAP_GEMM_FLAG = 'NNTK_WASM_HEAP_GEMM';

/**
 * tfjs environment flag (default 2²⁶): where XNNPACK runs with more than one thread, the heap matrix product
 * takes only products of at most this many multiply-adds (`batch·m·k·n`). Measured with 2 threads on 2
 * cores: the heap kernel won 1.7-1.9x at 2.6·10⁷ (the MLP's and CNN's largest dense products), XNNPACK 1.5x
 * at 512³ = 1.3·10⁸.
 */
export const HEAP_GEMM_THREADED_MAX_FLAG = 'NNTK_WASM_HEAP_GEMM_THREADED_MAX';

tf.env().registerFlag(HEAP_KERNELS_FLAG, () => true);
tf.env().registerFlag(PATCH_BLOCK_FLOATS_FLAG, () => 1 << 24);
tf.env().registerFlag(HEAP_GEMM_FLAG, () => true);
tf.env().registerFlag(HEAP_GEMM_THREADED_MAX_FLAG, () => 2 ** 26);
