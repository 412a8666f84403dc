import { check } from '@nntk/core';
import { mapImages } from './per-sample';
import type { Transform } from './transform';

/** Mirrors each image left-right with probability `p` (torchvision's `RandomHorizontalFlip`). */
export function randomHorizontalFlip(p = 0.5): Transform {
  check.inRange('randomHorizontalFlip', 'p', p, 0, 1, true);
  return (images, rng) => {
    const [, h, w, c] = images.shape as number[];
    return mapImages(images, [h, w, c], 0, (sources) => {
      const flip = rng.random() < p;
      for (let y = 0; y < h; y++) {
        for (let x = 0; x < w; x++) {
          const sx = flip ? w - 1 - x : x;
          for (let k = 0; k < c; k++) sources[(y * w + x) * c + k] = (y * w + sx) * c + k;
        }
      }
    });
  };
}
