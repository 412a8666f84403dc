import * as tf from '@tensorflow/tfjs-core';
import { NntkError } from './errors';
import { Rng } from './rng';
import { check } from './validate';

/** Options of {@link gradCheck}. */
export interface GradCheckOptions {
  /** Relative finite-difference step: element x is moved by ±eps·max(1, |x|) (default 1e-3). */
  eps?: number;
  /** Absolute tolerance (default 1e-5, as torch). */
  atol?: number;
  /** Relative tolerance on the analytical gradient (default 1e-3, as torch). */
  rtol?: number;
  /**
   * Multiplies the float32 rounding bound of each numerical derivative (default 16: every output value
   * carries a few float32 roundings of its own).
   */
  noiseFactor?: number;
  /** Throw an NntkError naming the worst element on a mismatch (default true, as torch); else return. */
  raiseException?: boolean;
  /** Check at most this many elements of each input, evenly spread (default: every element, as torch). */
  maxPerInput?: number;
  /** Seed of the random projection u of the output (default 0). */
  seed?: number;
}

/** One checked element: where it is, both derivatives, the error and the tolerance it was held to. */
export interface GradCheckElement {
  /** Which input (position in `inputs`). */
  input: number;
  /** The element's flat index in that input. */
  index: number;
  analytical: number;
  numerical: number;
  /** |numerical − analytical|. */
  error: number;
  /** atol + rtol·|analytical| + the element's float32 rounding bound. */
  tolerance: number;
}

/** What {@link gradCheck} found. */
export interface GradCheckResult {
  ok: boolean;
  /** Elements checked over all inputs. */
  checked: number;
  /** The element with the largest error / tolerance ratio (null when no element was checked). */
  worst: GradCheckElement | null;
}

const FLOAT32_EPSILON = 2 ** -23;

function indicesToCheck(size: number, max: number): number[] {
  if (size <= max) return Array.from({ length: size }, (_, i) => i);
  return Array.from({ length: max }, (_, k) => Math.round((k * (size - 1)) / Math.max(1, max - 1)));
}

function checkOptions(options: GradCheckOptions) {
  const known = ['eps', 'atol', 'rtol', 'noiseFactor', 'raiseException', 'maxPerInput', 'seed'];
  for (const key of Object.keys(options))
    if (!known.includes(key))
      throw new NntkError(
        'INVALID_OPTION',
        `gradCheck: unknown option '${key}'; known options: ${known.join(', ')}`,
      );
  return {
    eps: check.positive('gradCheck', 'eps', options.eps ?? 1e-3),
    atol: check.nonNegative('gradCheck', 'atol', options.atol ?? 1e-5),
    rtol: check.nonNegative('gradCheck', 'rtol', options.rtol ?? 1e-3),
    noiseFactor: check.nonNegative('gradCheck', 'noiseFactor', options.noiseFactor ?? 16),
    raiseException: check.boolean('gradCheck', 'raiseException', options.raiseException ?? true),
    maxPerInput: check.integer('gradCheck', 'maxPerInput', options.maxPerInput ?? Number.MAX_SAFE_INTEGER, 1),
    seed: check.number('gradCheck', 'seed', options.seed ?? 0),
  };
}

function analyticalGradients(fn: (...xs: tf.Tensor[]) => tf.Tensor, inputs: tf.Tensor[], u: tf.Tensor) {
  try {
    return tf.grads((...xs: tf.Tensor[]) => tf.sum(tf.mul(fn(...xs), u)))(inputs);
  } catch (error) {
    throw new NntkError(
      'NO_GRADIENT',
      `gradCheck: tfjs could not differentiate fn with respect to every input (${String((error as Error)?.message ?? error)}); pass only inputs fn uses`,
      { cause: error },
    );
  }
}

/**
 * Checks the gradients tfjs's autodiff gives for `fn` against central finite differences, as
 * `torch.autograd.gradcheck` does, in a float32 scheme (tfjs's cpu and wasm tensors have no float64).
 *
 * The output is projected on a fixed random normal `u` (seed `seed`): L(x) = Σⱼ uⱼ·fⱼ(x), whose gradient
 * `∂L/∂xᵢ = (Jᵀu)ᵢ` tfjs computes in one backward pass (a wrong Jacobian entry changes it for almost every
 * u). For each checked element i the step is `hᵢ = eps·max(1, |xᵢ|)`, and the numerical derivative is
 * `Σⱼ uⱼ·(fⱼ(x + h⁺eᵢ) − fⱼ(x − h⁻eᵢ)) / (h⁺ + h⁻)`, with h⁺ and h⁻ the steps float32 actually took
 * (`fround(xᵢ ± hᵢ) − xᵢ`) and the differences taken output by output before the projection, so outputs
 * that xᵢ does not touch cancel exactly and add no rounding. What remains is float32 rounding in the
 * outputs xᵢ does touch, bounded by `noiseFactor·ε₃₂·Σⱼ |uⱼ|(|fⱼ(x + h⁺eᵢ)| + |fⱼ(x − h⁻eᵢ)|) / (h⁺ + h⁻)`
 * (sum over the outputs that changed), and truncation error O(h²·f‴), which eps = 1e-3 keeps below
 * about 1e-7 for smooth ops. An element passes when
 *
 *     |numerical − analytical| ≤ atol + rtol·|analytical| + roundingBound
 *
 * (torch's rule `atol + rtol·|numerical|`, plus the float32 term; torch holds float64 to atol 1e-5 and
 * rtol 1e-3 with eps 1e-6, which float32 cannot resolve). Every element is checked, two evaluations of
 * `fn` each, unless `maxPerInput` limits it; values are read once at the end (`await data()`).
 *
 * On a mismatch it throws an `NntkError` ('GRADIENT_MISMATCH') naming the worst element, or, with
 * `raiseException: false`, returns the result with `ok: false`. Inputs must be float32 and are not
 * changed; nothing is left allocated.
 */
export async function gradCheck(
  fn: (...xs: tf.Tensor[]) => tf.Tensor,
  inputs: tf.Tensor[],
  options: GradCheckOptions = {},
): Promise<GradCheckResult> {
  const o = checkOptions(options);
  if (inputs.length === 0) throw new NntkError('INVALID_OPTION', 'gradCheck: give at least one input tensor');
  inputs.forEach((x, i) => {
    if (x.dtype !== 'float32')
      throw new NntkError(
        'UNSUPPORTED_DTYPE',
        `gradCheck: input ${i} is ${x.dtype}; only float32 inputs have gradients`,
      );
  });
  const rng = new Rng(o.seed);
  const shape = tf.tidy(() => fn(...inputs).shape);
  const u = rng.normalTensor(shape);
  const values = await Promise.all(inputs.map((x) => x.data() as Promise<Float32Array>));
  const grads = analyticalGradients(fn, inputs, u);
  const analytical = await Promise.all(grads.map((g) => g.data() as Promise<Float32Array>));
  tf.dispose(grads);
  const checks: { input: number; index: number; step: number; estimate: tf.Tensor }[] = [];
  try {
    inputs.forEach((x, which) => {
      for (const index of indicesToCheck(x.size, o.maxPerInput)) {
        const base = values[which][index];
        const h = o.eps * Math.max(1, Math.abs(base));
        const up = Math.fround(base + h);
        const down = Math.fround(base - h);
        const estimate = tf.tidy(() => {
          const shifted = (v: number) => {
            const copy = Float32Array.from(values[which]);
            copy[index] = v;
            return fn(
              ...inputs.map((other, j) => (j === which ? tf.tensor(copy, x.shape, 'float32') : other)),
            );
          };
          const plus = shifted(up);
          const minus = shifted(down);
          const changed = tf.cast(tf.notEqual(plus, minus), 'float32');
          const difference = tf.sum(tf.mul(u, tf.sub(plus, minus)));
          const magnitude = tf.sum(tf.mul(tf.mul(tf.abs(u), tf.add(tf.abs(plus), tf.abs(minus))), changed));
          return tf.stack([difference, magnitude]);
        });
        checks.push({ input: which, index, step: up - base + (base - down), estimate });
      }
    });
    const estimates = await Promise.all(checks.map((c) => c.estimate.data()));
    let worst: GradCheckElement | null = null;
    let worstRatio = -1;
    let ok = true;
    for (const [k, c] of checks.entries()) {
      const [difference, magnitude] = estimates[k];
      const numerical = difference / c.step;
      const a = analytical[c.input][c.index];
      const error = Math.abs(numerical - a);
      const tolerance =
        o.atol + o.rtol * Math.abs(a) + (o.noiseFactor * FLOAT32_EPSILON * magnitude) / c.step;
      const ratio = Number.isNaN(error) ? Number.POSITIVE_INFINITY : error / tolerance;
      if (!(error <= tolerance)) ok = false;
      if (ratio > worstRatio) {
        worstRatio = ratio;
        worst = { input: c.input, index: c.index, analytical: a, numerical, error, tolerance };
      }
    }
    const result: GradCheckResult = { ok, checked: checks.length, worst };
    if (!ok && worst && o.raiseException) throw mismatch(worst, inputs);
    return result;
  } finally {
    tf.dispose([u, ...checks.map((c) => c.estimate)]);
  }
}

function mismatch(worst: GradCheckElement, inputs: tf.Tensor[]): NntkError {
  const strides = inputs[worst.input].shape.map((_, d, s) => s.slice(d + 1).reduce((a, b) => a * b, 1));
  const position = strides.map(
    (stride, d) => Math.floor(worst.index / stride) % inputs[worst.input].shape[d],
  );
  return new NntkError(
    'GRADIENT_MISMATCH',
    `gradCheck: the analytical gradient of input ${worst.input} at [${position.join(', ')}] is ${worst.analytical}, ` +
      `finite differences give ${worst.numerical} (error ${worst.error.toExponential(3)} > tolerance ` +
      `${worst.tolerance.toExponential(3)}); check the op's gradient (a custom gradient or a kernel) for this input`,
  );
}
