import { check } from '@nntk/core';
import { mapImages } from './per-sample';
import type { Transform } from './transform';

/** Pads each image with zeros by `padding` and crops a random `size` window (torchvision's `RandomCrop`). */
export function randomCrop(size: number | [number, number], options: { padding?: number } = {}): Transform {
  const [ch, cw] = Array.isArray(size) ? size : [size, size];
  const padding = check.integer('randomCrop', 'padding', options.padding ?? 0, 0);
  return (images, rng) => {
    const [, h, w, c] = images.shape as number[];
    return mapImages(images, [ch, cw, c], 0, (sources) => {
      const top = rng.randint(h + 2 * padding - ch + 1) - padding;
      const left = rng.randint(w + 2 * padding - cw + 1) - padding;
      for (let y = 0; y < ch; y++) {
        const sy = y + top;
        if (sy < 0 || sy >= h) continue;
        for (let x = 0; x < cw; x++) {
          const sx = x + left;
          if (sx < 0 || sx >= w) continue;
          for (let k = 0; k < c; k++) sources[(y * cw + x) * c + k] = (sy * w + sx) * c + k;
        }
      }
    });
  };
}
