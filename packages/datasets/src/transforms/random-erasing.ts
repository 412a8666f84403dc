import { check } from '@nntk/core';
import { mapImages } from './per-sample';
import type { Transform } from './transform';

/**
 * Random erasing (Zhong et al. 2020, torchvision's `RandomErasing`): with probability `p`, fill a random
 * rectangle of `scale` × area and aspect `ratio` (log-uniform) with `value`; up to 10 tries per image.
 */
export function randomErasing(
  options: { p?: number; scale?: [number, number]; ratio?: [number, number]; value?: number } = {},
): Transform {
  const p = check.inRange('randomErasing', 'p', options.p ?? 0.5, 0, 1, true);
  const [smin, smax] = options.scale ?? [0.02, 0.33];
  const [rmin, rmax] = options.ratio ?? [0.3, 3.3];
  const value = options.value ?? 0;
  return (images, rng) => {
    const [, h, w, c] = images.shape as number[];
    return mapImages(images, [h, w, c], value, (sources) => {
      for (let k = 0; k < sources.length; k++) sources[k] = k;
      if (rng.random() >= p) return;
      for (let attempt = 0; attempt < 10; attempt++) {
        const area = h * w * (smin + (smax - smin) * rng.random());
        const aspect = Math.exp(Math.log(rmin) + (Math.log(rmax) - Math.log(rmin)) * rng.random());
        const eh = Math.round(Math.sqrt(area * aspect));
        const ew = Math.round(Math.sqrt(area / aspect));
        if (eh >= h || ew >= w || eh < 1 || ew < 1) continue;
        const top = rng.randint(h - eh + 1);
        const left = rng.randint(w - ew + 1);
        for (let y = top; y < top + eh; y++)
          for (let x = left; x < left + ew; x++)
            for (let k = 0; k < c; k++) sources[(y * w + x) * c + k] = -1;
        return;
      }
    });
  };
}
