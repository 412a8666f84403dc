import { check, NntkError } from '@nntk/core';
import * as tf from '@tensorflow/tfjs-core';

/** Options of the geometric ops (torchvision's defaults: nearest interpolation, zeros outside). */
export interface GeometricOptions {
  /** `'nearest'` (torchvision's default for the policies) or `'bilinear'`. */
  interpolation?: 'nearest' | 'bilinear';
  /** Value for pixels mapped from outside the image: one number or one per channel; default zeros. */
  fill?: number | number[] | null;
}

/** Python's `math.radians` factor (`x · (π / 180)`, in this order). */
const DEG_TO_RAD = Math.PI / 180;
/** Python's `math.degrees` factor. */
export const RAD_TO_DEG = 180 / Math.PI;

/**
 * torchvision's `_get_inverse_affine_matrix`: the 2×3 matrix mapping an output pixel (relative to the image
 * centre) to the input pixel it samples, for a rotation by `angle` degrees, `translate` pixels, `scale` and
 * `shear` degrees about `center` (relative to the image centre).
 */
export function inverseAffineMatrix(
  center: [number, number],
  angle: number,
  translate: [number, number],
  scale: number,
  shear: [number, number],
): number[] {
  const rot = angle * DEG_TO_RAD;
  const sx = shear[0] * DEG_TO_RAD;
  const sy = shear[1] * DEG_TO_RAD;
  const [cx, cy] = center;
  const [tx, ty] = translate;
  const a = Math.cos(rot - sy) / Math.cos(sy);
  const b = (-Math.cos(rot - sy) * Math.tan(sx)) / Math.cos(sy) - Math.sin(rot);
  const c = Math.sin(rot - sy) / Math.cos(sy);
  const d = (-Math.sin(rot - sy) * Math.tan(sx)) / Math.cos(sy) + Math.cos(rot);
  const m = [d, -b, 0, -c, a, 0].map((x) => x / scale);
  m[2] += m[0] * (-cx - tx) + m[1] * (-cy - ty);
  m[5] += m[3] * (-cx - tx) + m[4] * (-cy - ty);
  m[2] += cx;
  m[5] += cy;
  return m;
}

/** `nearbyint`: round half to even, as torch's nearest `grid_sample`. */
function roundHalfEven(x: number): number {
  const r = Math.round(x);
  return r - x === 0.5 && r % 2 !== 0 ? r - 1 : r;
}

/**
 * The sampling plan: for each output pixel and each of `taps` neighbours, the flat source index (0 when
 * outside) and its weight (0 when outside). Computed in JavaScript from the matrices alone (no tensor is
 * read): torch's grid in float32, `g = x·θ₀ + y·θ₁ + θ₂` accumulated before one rounding (as its `bmm`),
 * then `((g + 1)·size − 1) / 2` rounded at every step (as `grid_sampler_compute_source_index`).
 */
function plan(matrices: number[][], h: number, w: number, bilinear: boolean) {
  const f = Math.fround;
  const n = matrices.length;
  const taps = bilinear ? 4 : 1;
  const index = new Int32Array(n * h * w * taps);
  const weight = new Float32Array(n * h * w * taps);
  const mask = new Float32Array(n * h * w);
  const halfW = f(0.5 * w);
  const halfH = f(0.5 * h);
  for (let b = 0; b < n; b++) {
    const m = matrices[b];
    const r = [
      f(f(m[0]) / halfW),
      f(f(m[1]) / halfW),
      f(f(m[2]) / halfW),
      f(f(m[3]) / halfH),
      f(f(m[4]) / halfH),
      f(f(m[5]) / halfH),
    ];
    for (let y = 0; y < h; y++) {
      const yc = -h * 0.5 + 0.5 + y;
      for (let x = 0; x < w; x++) {
        const xc = -w * 0.5 + 0.5 + x;
        const gx = f(xc * r[0] + yc * r[1] + r[2]);
        const gy = f(xc * r[3] + yc * r[4] + r[5]);
        const ix = f(f(f(f(gx + 1) * w) - 1) / 2);
        const iy = f(f(f(f(gy + 1) * h) - 1) / 2);
        const pixel = (b * h + y) * w + x;
        const put = (tap: number, sx: number, sy: number, wt: number) => {
          const inside = sx >= 0 && sx < w && sy >= 0 && sy < h;
          index[pixel * taps + tap] = inside ? (b * h + sy) * w + sx : 0;
          weight[pixel * taps + tap] = inside ? wt : 0;
          if (inside) mask[pixel] += wt;
        };
        if (!bilinear) put(0, roundHalfEven(ix), roundHalfEven(iy), 1);
        else {
          const x0 = Math.floor(ix);
          const y0 = Math.floor(iy);
          put(0, x0, y0, f(f(x0 + 1 - ix) * f(y0 + 1 - iy)));
          put(1, x0 + 1, y0, f(f(ix - x0) * f(y0 + 1 - iy)));
          put(2, x0, y0 + 1, f(f(x0 + 1 - ix) * f(iy - y0)));
          put(3, x0 + 1, y0 + 1, f(f(ix - x0) * f(iy - y0)));
        }
      }
    }
  }
  return { index, weight, mask, taps };
}

/**
 * Checks `interpolation` and `fill` (one value, or one per channel when `channels` is known), naming the
 * op; the policies call it when they are built, the ops when they run.
 */
export function checkGeometricOptions(owner: string, options: GeometricOptions, channels?: number) {
  const interpolation = check.oneOf(owner, 'interpolation', options.interpolation ?? 'nearest', [
    'nearest',
    'bilinear',
  ] as const);
  const fill = options.fill ?? null;
  const fills = fill === null ? null : Array.isArray(fill) ? fill : [fill];
  const countOk = (k: number) => k === 1 || (channels === undefined ? k === 3 : k === channels);
  if (
    fills !== null &&
    (!countOk(fills.length) || fills.some((f) => typeof f !== 'number' || !Number.isFinite(f)))
  )
    throw new NntkError(
      'INVALID_OPTION',
      `${owner}: option 'fill' must be a finite number or ${channels ?? 3} finite numbers (one per channel), got ${JSON.stringify(fill)}`,
    );
  return { interpolation, fills };
}

/**
 * Samples each image at the source coordinates its inverse matrix gives, as torchvision's tensor
 * `F.affine`/`F.rotate` do (`_gen_affine_grid` then `grid_sample(align_corners=False, padding zeros)`, the
 * grid in float32 in the same order of operations): nearest rounds half to even (as `nearbyint`), bilinear
 * weights the four neighbours and counts those outside as zeros; a `fill` replaces what came from outside
 * (nearest: where the mask is < 0.5; bilinear: `x·mask + (1 − mask)·fill`).
 */
export function affineSample(
  owner: string,
  images: tf.Tensor,
  matrices: number[][],
  options: GeometricOptions = {},
): tf.Tensor {
  const [n, h, w, c] = images.shape as number[];
  const { interpolation, fills } = checkGeometricOptions(owner, options, c);
  const { index, weight, mask: maskValues, taps } = plan(matrices, h, w, interpolation === 'bilinear');
  return tf.tidy(() => {
    const gathered = tf.gather(images.reshape([n * h * w, c]), tf.tensor1d(index, 'int32'));
    const weighted = tf.mul(gathered, tf.tensor2d(weight, [n * h * w * taps, 1]));
    const sampled = tf.sum(weighted.reshape([n * h * w, taps, c]), 1).reshape([n, h, w, c]);
    if (fills === null) return sampled;
    const mask = tf.tensor4d(maskValues, [n, h, w, 1]);
    const fillImage = tf.broadcastTo(tf.tensor1d(fills.length === 1 ? new Array(c).fill(fills[0]) : fills), [
      n,
      h,
      w,
      c,
    ]);
    if (interpolation === 'nearest')
      return tf.where(tf.broadcastTo(tf.less(mask, 0.5), [n, h, w, c]), fillImage, sampled);
    return tf.add(tf.mul(sampled, mask), tf.mul(tf.sub(1, mask), fillImage));
  });
}
