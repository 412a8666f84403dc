import { Rng, useBackend } from '@nntk/core';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { blobs, manifold, moons, spirals, transforms } from './index';

describe('synthetic data sets', () => {
  beforeAll(async () => {
    await useBackend('cpu');
  });

  it('manifold: clean sphere points have unit norm in the ambient space, noise has the requested std', () => {
    const data = manifold({ kind: 'sphere', intrinsicDim: 3, ambientDim: 20, n: 2000, noise: 0.05, seed: 1 });
    let sq = 0;
    for (let i = 0; i < data.length; i++) {
      const { x, y } = data.get(i) as { x: Float32Array; y: Float32Array };
      expect(Math.hypot(...y)).toBeCloseTo(1, 4);
      x.forEach((v, j) => {
        sq += (v - y[j]) ** 2;
      });
    }
    expect(Math.sqrt(sq / (2000 * 20))).toBeCloseTo(0.05, 2);
    const again = manifold({
      kind: 'sphere',
      intrinsicDim: 3,
      ambientDim: 20,
      n: 2000,
      noise: 0.05,
      seed: 1,
    });
    expect(Array.from(again.x.values.subarray(0, 50))).toEqual(Array.from(data.x.values.subarray(0, 50)));
  });

  it('manifold: every kind embeds, and bad dimensions are refused', () => {
    for (const kind of ['torus', 'swissRoll', 'helix'] as const)
      expect(manifold({ kind, ambientDim: 10, n: 5, seed: 2 }).x.shape).toEqual([10]);
    expect(() => manifold({ kind: 'sphere', intrinsicDim: 4, ambientDim: 3, n: 5 })).toThrow(
      'manifold: ambientDim (3) must be at least 5 for a 4-D sphere',
    );
    expect(() => manifold({ kind: 'helix', intrinsicDim: 2, ambientDim: 5, n: 5 })).toThrow(
      /a helix has intrinsicDim 1/,
    );
  });

  it('spirals, moons and blobs give balanced labels of the right shapes', () => {
    for (const data of [
      spirals({ n: 300, classes: 3, seed: 1 }),
      moons({ n: 300, seed: 1 }),
      blobs({ n: 300, centers: 3, dim: 4, seed: 1 }),
    ]) {
      const counts = new Map<number, number>();
      for (const y of data.y.values) counts.set(y, (counts.get(y) ?? 0) + 1);
      expect(Math.max(...counts.values()) - Math.min(...counts.values())).toBeLessThanOrEqual(1);
    }
    expect(blobs({ n: 10, dim: 4 }).x.shape).toEqual([4]);
  });
});

describe('transforms', () => {
  const images = () =>
    tf.tensor4d(
      Float32Array.from({ length: 2 * 4 * 4 * 3 }, (_, i) => (i % 48) / 48),
      [2, 4, 4, 3],
    );

  it('randomCrop with padding keeps the size and shifts content; flips mirror columns', () => {
    const x = images();
    const cropped = transforms.randomCrop(4, { padding: 2 })(x, new Rng(1));
    expect(cropped.shape).toEqual([2, 4, 4, 3]);
    const flipped = transforms.randomHorizontalFlip(1)(x, new Rng(1)).arraySync() as number[][][][];
    const original = x.arraySync() as number[][][][];
    expect(flipped[0][1][0]).toEqual(original[0][1][3]);
    tf.dispose([x, cropped]);
  });

  it('the same generator gives the same augmentation', () => {
    const x = images();
    const t = transforms.compose(
      transforms.randomCrop(3, { padding: 1 }),
      transforms.randomHorizontalFlip(),
      transforms.colorJitter({ brightness: 0.4, contrast: 0.4, saturation: 0.4, hue: 0.1 }),
    );
    const a = t(x, new Rng(5)).dataSync();
    const b = t(x, new Rng(5)).dataSync();
    expect(Array.from(a)).toEqual(Array.from(b));
    expect(Math.min(...a)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...a)).toBeLessThanOrEqual(1);
    x.dispose();
  });

  it('random crop, flip and erasing map pixels exactly as in JavaScript, without reading the device', async () => {
    const x = images();
    const readSync = vi.spyOn(tf.engine(), 'readSync');
    const cropped = transforms.randomCrop(3, { padding: 1 })(x, new Rng(3));
    const flipped = transforms.randomHorizontalFlip(1)(x, new Rng(3));
    const erased = transforms.randomErasing({ p: 1, value: -1 })(x, new Rng(4));
    expect(readSync).not.toHaveBeenCalled();
    readSync.mockRestore();
    const source = await x.data();
    // Replays the generator: crop offsets in [-1, 2) per image, zeros where the window leaves the image.
    const rng = new Rng(3);
    const crop = await cropped.data();
    for (let i = 0; i < 2; i++) {
      const top = rng.randint(4 + 2 - 3 + 1) - 1;
      const left = rng.randint(4 + 2 - 3 + 1) - 1;
      for (let y = 0; y < 3; y++)
        for (let xx = 0; xx < 3; xx++)
          for (let k = 0; k < 3; k++) {
            const [sy, sx] = [y + top, xx + left];
            const inside = sy >= 0 && sy < 4 && sx >= 0 && sx < 4;
            const expected = inside ? source[i * 48 + (sy * 4 + sx) * 3 + k] : 0;
            expect(crop[i * 27 + (y * 3 + xx) * 3 + k]).toBe(expected);
          }
    }
    const flip = await flipped.data();
    expect(flip[(1 * 4 + 0) * 3 + 2]).toBe(source[(1 * 4 + 3) * 3 + 2]);
    const erasedValues = await erased.data();
    const filled = erasedValues.filter((v) => v === -1).length;
    expect(filled).toBeGreaterThan(0);
    expect(erasedValues.every((v, i) => v === -1 || v === source[i])).toBe(true);
    tf.dispose([x, cropped, flipped, erased]);
  });

  it('normalize and randomErasing', () => {
    const x = tf.ones([1, 8, 8, 1]);
    expect(transforms.normalize(0.5, 0.25)(x, new Rng(1)).dataSync()[0]).toBe(2);
    const erased = transforms.randomErasing({ p: 1, value: 0 })(x, new Rng(2)).dataSync();
    const zeros = erased.filter((v) => v === 0).length;
    expect(zeros).toBeGreaterThan(0);
    expect(zeros).toBeLessThanOrEqual(0.4 * 64);
    x.dispose();
  });
});
