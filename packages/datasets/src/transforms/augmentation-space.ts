import { check } from '@nntk/core';

/** The op names of torchvision's policies (`_apply_op`). */
export type AugmentOpName =
  | 'Identity'
  | 'ShearX'
  | 'ShearY'
  | 'TranslateX'
  | 'TranslateY'
  | 'Rotate'
  | 'Brightness'
  | 'Color'
  | 'Contrast'
  | 'Sharpness'
  | 'Posterize'
  | 'Solarize'
  | 'AutoContrast'
  | 'Equalize'
  | 'Invert';

/** One op of an augmentation space: its magnitude bins (null: the op takes none) and whether a random sign applies. */
export interface AugmentOpSpace {
  name: AugmentOpName;
  magnitudes: Float32Array | null;
  signed: boolean;
}

/**
 * `torch.linspace(start, end, steps)` in float32 as torch 1.13's CPU kernel computes it on x86-64:
 * `step = (end − start) / (steps − 1)` in float32, the first half `start + i·step`, the second half
 * `end − (steps − 1 − i)·step`, each a fused multiply-add (one rounding: the float32 product is exact in a
 * double); full 16-lane vector chunks take the half of their first element for every lane. This reproduces
 * the bins of every torchvision policy table bit for bit except bin 13 of TrivialAugmentWide's
 * translations (13.866668 here, 13.866667 in torch: 1 ulp, the same integer shift), which the tests check
 * within 1 ulp.
 */
export function torchLinspace(start: number, end: number, steps: number): Float32Array {
  const f = Math.fround;
  const out = new Float32Array(steps);
  if (steps === 1) out[0] = start;
  if (steps <= 1) return out;
  const [first, last] = [f(start), f(end)];
  const step = f(f(last - first) / (steps - 1));
  const halfway = Math.floor(steps / 2);
  const lanes = 16;
  for (let i = 0; i < steps; i++) {
    const chunkStart = i - (i % lanes);
    const decider = chunkStart + lanes <= steps ? chunkStart : i;
    out[i] = decider < halfway ? f(first + step * i) : f(last - step * (steps - i - 1));
  }
  return out;
}

/** `8 − round(arange(bins) / ((bins − 1) / levels))` in float32, rounding half to even (torch's `round`). */
function posterizeBits(bins: number, levels: number): Float32Array {
  const f = Math.fround;
  const divisor = f((bins - 1) / levels);
  return Float32Array.from({ length: bins }, (_, i) => {
    const q = f(i / divisor);
    const r = Math.round(q);
    return 8 - (r - q === 0.5 && r % 2 !== 0 ? r - 1 : r);
  });
}

/**
 * The ops and magnitude bins of torchvision's policies (`_augmentation_space`), in torchvision's order:
 * `'auto'` (AutoAugment: no Identity, Invert last, 10 bins), `'rand'` (RandAugment: Identity first, no
 * Invert) and `'trivial'` (TrivialAugmentWide: wider ranges, translations up to 32 pixels whatever the
 * image size). Translations of `'auto'` and `'rand'` reach 150/331 of the image width/height.
 */
export function augmentationSpace(
  kind: 'auto' | 'rand' | 'trivial',
  numBins: number,
  imageSize: [number, number] = [32, 32],
): AugmentOpSpace[] {
  check.integer('augmentationSpace', 'numBins', numBins, 2);
  const [h, w] = imageSize;
  const wide = kind === 'trivial';
  const amount = wide ? 0.99 : 0.9;
  const bins = (end: number) => torchLinspace(0, end, numBins);
  const op = (name: AugmentOpName, magnitudes: Float32Array | null, signed: boolean) => ({
    name,
    magnitudes,
    signed,
  });
  const space: AugmentOpSpace[] = [
    ...(kind === 'auto' ? [] : [op('Identity', null, false)]),
    op('ShearX', bins(wide ? 0.99 : 0.3), true),
    op('ShearY', bins(wide ? 0.99 : 0.3), true),
    op('TranslateX', bins(wide ? 32 : (150 / 331) * w), true),
    op('TranslateY', bins(wide ? 32 : (150 / 331) * h), true),
    op('Rotate', bins(wide ? 135 : 30), true),
    op('Brightness', bins(amount), true),
    op('Color', bins(amount), true),
    op('Contrast', bins(amount), true),
    op('Sharpness', bins(amount), true),
    op('Posterize', posterizeBits(numBins, wide ? 6 : 4), false),
    op('Solarize', torchLinspace(255, 0, numBins), false),
    op('AutoContrast', null, false),
    op('Equalize', null, false),
    ...(kind === 'auto' ? [op('Invert', null, false)] : []),
  ];
  return space;
}
