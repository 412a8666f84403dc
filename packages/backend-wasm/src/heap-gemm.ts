import * as tf from '@tensorflow/tfjs-core';
import { HEAP_GEMM_FLAG, HEAP_GEMM_THREADED_MAX_FLAG, HEAP_KERNELS_FLAG } from './flags';
import { GEMM_KERNELS_WASM } from './gemm-kernels-wasm';
import { coreHeapKernels } from './heap-kernels';
import type { KernelArgs, KernelFunction } from './kernel-wrapper';
import { heapKernels, heapOffset, type WasmHeapBackend } from './wasm-heap';

/** The kernel of gemm-kernels.wat; pointers are byte offsets into tfjs's wasm heap. */
interface GemmHeapKernels {
  gemm(
    a: number,
    b: number,
    c: number,
    m: number,
    k: number,
    n: number,
    rs: number,
    cs: number,
    bias: number,
    flags: number,
    mb: number,
    kc: number,
  ): void;
}

/** The wasm backend as this kernel uses it. */
type Backend = WasmHeapBackend & {
  disposeData(dataId: object, force?: boolean): boolean;
  wasm: { tfjs?: { getThreadsCount?: () => number } };
};

/** Bits of the kernel's `flags` argument. */
const BIAS = 1;
const RELU = 2;

/** The activations the kernel applies itself; for the others `_FusedMatMul` keeps tfjs's path. */
const ACTIVATIONS: Record<string, number> = { linear: 0, relu: RELU };

/** XNNPACK's thread count on this backend (1 where the build has no threads). */
function threadsOf(backend: Backend): number {
  try {
    return backend.wasm.tfjs?.getThreadsCount?.() ?? 1;
  } catch {
    return 1;
  }
}

/**
 * The largest product (`batch·m·k·n` multiply-adds) the heap kernel takes with one XNNPACK thread: measured
 * on one thread, 512³ (2²⁷) ran even with XNNPACK and 1024³ 13% slower in CPU time, while the CNN's
 * filter-gradient product `[288, 12544]·[12544, 64]` (2.3·10⁸) ran 1.2-1.4x faster.
 */
export const HEAP_GEMM_MAX_PRODUCT = 2 ** 28;

/**
 * Whether the heap kernel beats XNNPACK for an `[m, k]·[k, n]` product (`batch` of them) with `threads`
 * XNNPACK threads: at most {@link HEAP_GEMM_MAX_PRODUCT} multiply-adds on one thread, at most
 * {@link HEAP_GEMM_THREADED_MAX_FLAG} with threads (XNNPACK's threads can win the large products).
 */
export function heapGemmPays(m: number, k: number, n: number, batch: number, threads: number): boolean {
  const size = batch * m * k * n;
  return size <= (threads <= 1 ? HEAP_GEMM_MAX_PRODUCT : tf.env().getNumber(HEAP_GEMM_THREADED_MAX_FLAG));
}

/**
 * Rows per panel (gemm-kernels.wat): 64 measured slightly below a single panel in CPU time on the tall
 * products (a weight gradient `xᵀ·dy` with m = 784 or 3136), within noise elsewhere.
 */
const PANEL_ROWS = 64;

/**
 * Steps of k per block (gemm-kernels.wat): b's 8-column strip of a block is 256 cache lines (16 KB), which
 * stays in L1. Without blocking, `[288, 12544]·[12544, 64]` ran 2.6x slower than XNNPACK; with it, 1.3x faster.
 */
const DEPTH_BLOCK = 256;

const product = (shape: number[]) => shape.reduce((size, d) => size * d, 1);

/** A bias the kernel adds itself: float32, one value per output column (`[n]`, `[1, n]`, ...). */
function columnBias(bias: tf.TensorInfo | undefined, n: number, outRank: number): boolean {
  if (bias === undefined) return true;
  const { shape } = bias;
  if (bias.dtype !== 'float32' || shape.length > outRank || product(shape) !== n) return false;
  return shape.length === 0 ? n === 1 : shape[shape.length - 1] === n;
}

/**
 * The plan for `op(a)·op(b)` on the heap kernel, or undefined where it does not apply: float32, rank ≥ 2,
 * a non-empty output (k = 0 gives zeros plus the bias), and batch dimensions that broadcast by one side having one
 * matrix or both the same count (where tfjs's kernels' flat batch index is the broadcast one).
 */
export function heapGemmPlan(args: KernelArgs) {
  const a: tf.TensorInfo = args.inputs.a;
  const b: tf.TensorInfo = args.inputs.b;
  const bias: tf.TensorInfo | undefined = args.inputs.bias ?? undefined;
  const { transposeA = false, transposeB = false } = args.attrs ?? {};
  const activation: string = args.attrs?.activation ?? 'linear';
  if (a.dtype !== 'float32' || b.dtype !== 'float32') return undefined;
  if (a.shape.length < 2 || b.shape.length < 2) return undefined;
  if (!Object.hasOwn(ACTIVATIONS, activation) || args.inputs.preluActivationWeights) return undefined;
  const [ra, ca] = a.shape.slice(-2);
  const [rb, cb] = b.shape.slice(-2);
  const [m, k] = transposeA ? [ca, ra] : [ra, ca];
  const [k2, n] = transposeB ? [cb, rb] : [rb, cb];
  if (k !== k2 || m === 0 || n === 0) return undefined;
  const outerA = a.shape.slice(0, -2);
  const outerB = b.shape.slice(0, -2);
  let outer: number[];
  try {
    outer = tf.backend_util.assertAndGetBroadcastShape(outerA, outerB);
  } catch {
    return undefined;
  }
  const batch = product(outer);
  const batchA = product(outerA);
  const batchB = product(outerB);
  if (batch === 0 || (batchA !== batchB && batchA !== 1 && batchB !== 1)) return undefined;
  if (!columnBias(bias, n, outer.length + 2)) return undefined;
  return { a, b, bias, transposeA, transposeB, activation, m, k, n, outer, batch, batchA, batchB };
}

/**
 * Wraps the wasm `BatchMatMul` / `_FusedMatMul` kernel: a float32 product runs as gemm-kernels.wat's SIMD
 * kernel straight on the heap (no packing; a transposed left operand read in place through strides, a
 * transposed right one transposed first by the SIMD transpose kernel, k·n floats), with a column bias and
 * ReLU applied as each tile is stored. Other activations, PReLU weights, other dtypes, empty products, other bias shapes and batch broadcasts go to the original kernel, as do products
 * XNNPACK's threads win ({@link heapGemmPays}) and everything when {@link HEAP_GEMM_FLAG} or
 * {@link HEAP_KERNELS_FLAG} is off.
 */
export function withHeapGemm(original: KernelFunction): KernelFunction {
  return (args) => {
    if (!tf.env().getBool(HEAP_GEMM_FLAG) || !tf.env().getBool(HEAP_KERNELS_FLAG)) return original(args);
    const p = heapGemmPlan(args);
    const backend = args.backend as Backend;
    if (!p || !heapGemmPays(p.m, p.k, p.n, p.batch, threadsOf(backend))) return original(args);
    const kernels = heapKernels<GemmHeapKernels>(backend, GEMM_KERNELS_WASM);
    const core = p.transposeB ? coreHeapKernels(backend) : undefined;
    if (!kernels || (p.transposeB && !core)) return original(args);
    const { m, k, n, batch, batchA, batchB } = p;
    const out = backend.makeOutput([...p.outer, m, n], 'float32');
    let right = heapOffset(backend, p.b);
    const scratch = p.transposeB ? backend.makeOutput([batchB, k, n], 'float32') : undefined;
    if (core && scratch) {
      core.transpose(right, heapOffset(backend, scratch), batchB, n, k);
      right = heapOffset(backend, scratch);
    }
    const left = heapOffset(backend, p.a);
    const c = heapOffset(backend, out);
    const bias = p.bias ? heapOffset(backend, p.bias) : 0;
    const flags = (p.bias ? BIAS : 0) | ACTIVATIONS[p.activation];
    // a[i, p] at i·rs + p·cs: [m, k] row-major, or [k, m] read transposed.
    const [rs, cs] = p.transposeA ? [4, 4 * m] : [4 * k, 4];
    for (let i = 0; i < batch; i++) {
      const at = left + (batchA === 1 ? 0 : i * m * k * 4);
      const bt = right + (batchB === 1 ? 0 : i * k * n * 4);
      kernels.gemm(at, bt, c + i * m * n * 4, m, k, n, rs, cs, bias, flags, PANEL_ROWS, DEPTH_BLOCK);
    }
    if (scratch) backend.disposeData(scratch.dataId, true);
    return out;
  };
}
