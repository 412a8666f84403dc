import { check, checkOptions, Module, NntkError } from '@nntk/core';
import * as tf from '@tensorflow/tfjs-core';
import { pair, shapeError } from './internal/parameters';

export interface UpsampleOptions {
  /** The output height and width (give this or `scaleFactor`). */
  size?: number | [number, number];
  /** Output size `⌊input · scaleFactor⌋` per axis (give this or `size`). */
  scaleFactor?: number | [number, number];
  /** Default `'nearest'`. */
  mode?: 'nearest' | 'bilinear';
  /** Bilinear only: align the corner pixels' centres (`true`) or the corners' edges (`false`, the default). */
  alignCorners?: boolean;
}

/** PyTorch's `compute_scales_value`: `1/scaleFactor` when one was given, else `in/out`, in float32. */
function sourceScale(input: number, output: number, factor: number | undefined): number {
  return Math.fround(factor !== undefined && factor > 0 ? 1 / factor : input / output);
}

/**
 * The `[output, input]` interpolation matrix of one axis. Nearest (`torch` `nearest_idx`):
 * `src = min(⌊dst · scale⌋, in − 1)` in float32. Bilinear (`area_pixel_compute_source_index`):
 * `src = dst · (in − 1)/(out − 1)` with `alignCorners`, else `max((dst + ½) · scale − ½, 0)`, blending
 * `⌊src⌋` and the next index by the fraction.
 */
function interpolationMatrix(
  input: number,
  output: number,
  factor: number | undefined,
  mode: 'nearest' | 'bilinear',
  alignCorners: boolean,
): tf.Tensor2D {
  const values = new Float32Array(output * input);
  for (let dst = 0; dst < output; dst++) {
    const row = dst * input;
    if (mode === 'nearest') {
      const src = Math.min(Math.floor(Math.fround(dst * sourceScale(input, output, factor))), input - 1);
      values[row + src] = 1;
      continue;
    }
    let src: number;
    if (alignCorners) src = output > 1 ? (dst * (input - 1)) / (output - 1) : 0;
    else src = Math.max(Math.fround(sourceScale(input, output, factor) * (dst + 0.5) - 0.5), 0);
    const low = Math.min(Math.floor(src), input - 1);
    const high = Math.min(low + 1, input - 1);
    const fraction = src - low;
    values[row + low] += 1 - fraction;
    values[row + high] += fraction;
  }
  return tf.tensor2d(values, [output, input]);
}

/**
 * Upsampling of NHWC images, PyTorch's `nn.Upsample` / `torch.nn.functional.interpolate` for 4-D input:
 * `'nearest'` (PyTorch's legacy nearest rule, `src = ⌊dst · scale⌋`) or `'bilinear'` (with or without
 * `alignCorners`). With `scaleFactor`, the output is `⌊in · scaleFactor⌋` and the index scale is
 * `1/scaleFactor`, as PyTorch computes it (no `recomputeScaleFactor`). Each axis is one matrix product
 * with a fixed interpolation matrix, so the gradient is exact and needs no scatter kernel.
 */
export class Upsample extends Module {
  readonly size?: [number, number];
  readonly scaleFactor?: [number, number];
  readonly mode: 'nearest' | 'bilinear';
  readonly alignCorners: boolean;

  constructor(options: UpsampleOptions) {
    super();
    const owner = 'Upsample';
    checkOptions<UpsampleOptions>(owner, options, {
      size: true,
      scaleFactor: true,
      mode: true,
      alignCorners: true,
    });
    if ((options?.size === undefined) === (options?.scaleFactor === undefined)) {
      throw new NntkError('INVALID_OPTION', `${owner}: give exactly one of 'size' and 'scaleFactor'`);
    }
    this.mode = check.oneOf(owner, 'mode', options.mode ?? 'nearest', ['nearest', 'bilinear']);
    if (options.alignCorners !== undefined && this.mode === 'nearest') {
      throw new NntkError(
        'INVALID_OPTION',
        `${owner}: 'alignCorners' applies to mode 'bilinear' only (as in PyTorch); remove it for 'nearest'`,
      );
    }
    this.alignCorners = check.boolean(owner, 'alignCorners', options.alignCorners ?? false);
    if (options.size !== undefined) this.size = pair(owner, 'size', options.size, 1);
    if (options.scaleFactor !== undefined) {
      const f = options.scaleFactor;
      const factors: [number, number] = Array.isArray(f) ? [f[0], f[1]] : [f, f];
      this.scaleFactor = [
        check.positive(owner, 'scaleFactor', factors[0]),
        check.positive(owner, 'scaleFactor', factors[1]),
      ];
    }
  }

  /** The output height and width for an input of `h × w`. */
  outputSize(h: number, w: number): [number, number] {
    if (this.size) return this.size;
    const [fh, fw] = this.scaleFactor as [number, number];
    return [Math.floor(h * fh), Math.floor(w * fw)];
  }

  forward(x: tf.Tensor): tf.Tensor {
    if (x.rank !== 4) shapeError(`Upsample(${this.mode})`, '[N, H, W, C] (NHWC)', x.shape);
    const [n, h, w, c] = x.shape;
    const [oh, ow] = this.outputSize(h, w);
    if (oh < 1 || ow < 1) {
      throw new NntkError(
        'SHAPE_MISMATCH',
        `Upsample: output size ${oh}x${ow} of a ${h}x${w} input is empty`,
      );
    }
    const factorH = this.size ? undefined : this.scaleFactor?.[0];
    const factorW = this.size ? undefined : this.scaleFactor?.[1];
    return tf.tidy(() => {
      const mh = interpolationMatrix(h, oh, factorH, this.mode, this.alignCorners);
      const mw = interpolationMatrix(w, ow, factorW, this.mode, this.alignCorners);
      // Rows: [H, N·W·C] → [oh, N, W, C]; columns: [W, oh·N·C] → [ow, oh, N, C].
      const rows = tf
        .matMul(mh, tf.transpose(x, [1, 0, 2, 3]).reshape([h, n * w * c]))
        .reshape([oh, n, w, c]);
      const cols = tf.matMul(mw, tf.transpose(rows, [2, 0, 1, 3]).reshape([w, oh * n * c]));
      return tf.transpose(cols.reshape([ow, oh, n, c]), [2, 1, 0, 3]);
    });
  }

  override extraRepr(): string {
    const target = this.size ? `size=[${this.size}]` : `scaleFactor=[${this.scaleFactor}]`;
    return `${target}, mode='${this.mode}'${this.mode === 'bilinear' ? `, alignCorners=${this.alignCorners}` : ''}`;
  }
}
