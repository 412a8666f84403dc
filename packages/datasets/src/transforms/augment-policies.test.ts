import { Rng, useBackend } from '@nntk/core';
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import tables from '../../../../fixtures/datasets/augment-policies.json';
import {
  augmentationSpace,
  autoAugment,
  autoAugmentPolicy,
  randAugment,
  torchLinspace,
  trivialAugmentWide,
} from './index';
import * as F from './ops/index';

type Space = { order: string[]; ops: Record<string, { signed: boolean; magnitudes: number[] | null }> };

let exact = 0;
let total = 0;

function expectSpace(
  kind: 'auto' | 'rand' | 'trivial',
  bins: number,
  size: [number, number],
  expected: Space,
) {
  const space = augmentationSpace(kind, bins, size);
  expect(space.map((op) => op.name)).toEqual(expected.order);
  for (const op of space) {
    const want = expected.ops[op.name];
    expect(op.signed, op.name).toBe(want.signed);
    if (op.magnitudes === null || want.magnitudes === null) {
      expect(op.magnitudes, op.name).toBe(want.magnitudes);
      continue;
    }
    // float32 bins within 1 ulp (all but one bit for bit), and the same integer part (translations and
    // posterize bits go through Python's int()): the fixture holds torch's float32 values as doubles.
    const got = Array.from(op.magnitudes);
    const wanted = want.magnitudes;
    expect(got.map(Math.trunc), `${kind} ${op.name}`).toEqual(wanted.map(Math.trunc));
    got.forEach((v, i) => {
      expect(Math.abs(v - wanted[i]), `${kind} ${op.name}[${i}]`).toBeLessThanOrEqual(
        2 ** -23 * Math.abs(wanted[i]),
      );
    });
    exact += got.filter((v, i) => v === wanted[i]).length;
    total += got.length;
  }
}

describe('policy tables and magnitude bins equal torchvision 0.14', () => {
  it('AutoAugment: the ImageNet, CIFAR-10 and SVHN sub-policies', () => {
    for (const policy of ['imagenet', 'cifar10', 'svhn'] as const)
      expect(autoAugmentPolicy(policy)).toEqual(tables.autoAugment.policies[policy]);
  });
  it('augmentation spaces: AutoAugment (10 bins), RandAugment (31 and 5), TrivialAugmentWide (31 and 7)', () => {
    for (const [key, space] of Object.entries(tables.autoAugment.spaces)) {
      const [h, w] = key.split('x').map(Number) as [number, number];
      expectSpace('auto', 10, [h, w], space);
      expectSpace(
        'rand',
        31,
        [h, w],
        tables.randAugment.spaces[key as keyof typeof tables.randAugment.spaces],
      );
      expectSpace(
        'rand',
        5,
        [h, w],
        tables.randAugment.spaces5[key as keyof typeof tables.randAugment.spaces5],
      );
    }
    expectSpace('trivial', 31, [32, 32], tables.trivialAugmentWide.space);
    expectSpace('trivial', 7, [5, 9], tables.trivialAugmentWide.space7);
    expect(total - exact).toBe(2); // bin 13 of TrivialAugmentWide's TranslateX and TranslateY
    expect([
      tables.randAugment.numOps,
      tables.randAugment.magnitude,
      tables.randAugment.numMagnitudeBins,
    ]).toEqual([2, 9, 31]);
    expect(tables.trivialAugmentWide.numMagnitudeBins).toBe(31);
  });
  it('torchLinspace: float32 halves computed from each end, as torch', () => {
    expect(Array.from(torchLinspace(0, 1, 3))).toEqual([0, 0.5, 1]);
    expect(torchLinspace(0, 0.3, 10)[9]).toBe(Math.fround(0.3));
    expect(Array.from(torchLinspace(2, 2, 1))).toEqual([2]);
  });
});

const images = (n: number) =>
  tf.tidy(() => tf.div(tf.add(tf.reshape(tf.range(0, n * 8 * 8 * 3), [n, 8, 8, 3]), 0.5), n * 8 * 8 * 3));

/** Replays a policy's draws with a twin generator and applies the functional ops one image at a time. */
function replay(x: tf.Tensor, steps: { op: string; magnitude: number }[][]): tf.Tensor {
  const apply = (img: tf.Tensor, op: string, m: number): tf.Tensor => {
    switch (op) {
      case 'ShearX':
        return F.shearX(img, m);
      case 'ShearY':
        return F.shearY(img, m);
      case 'TranslateX':
        return F.translateX(img, m);
      case 'TranslateY':
        return F.translateY(img, m);
      case 'Rotate':
        return F.rotate(img, m);
      case 'Brightness':
        return F.brightness(img, 1 + m);
      case 'Color':
        return F.color(img, 1 + m);
      case 'Contrast':
        return F.contrast(img, 1 + m);
      case 'Sharpness':
        return F.sharpness(img, 1 + m);
      case 'Posterize':
        return F.posterize(img, Math.trunc(m));
      case 'Solarize':
        return F.solarize(img, m / 255);
      case 'AutoContrast':
        return F.autocontrast(img);
      case 'Equalize':
        return F.equalize(img);
      case 'Invert':
        return F.invert(img);
      default:
        return F.identity(img);
    }
  };
  return tf.tidy(() =>
    tf.concat(
      steps.map((ops, i) =>
        ops.reduce((img, { op, magnitude }) => apply(img, op, magnitude), tf.slice(x, [i], [1])),
      ),
    ),
  );
}

for (const backend of ['cpu', 'wasm'] as const) {
  describe(`policies on ${backend}: per-image draws from nntk's Rng, reproducible, no leaks`, () => {
    it('trivialAugmentWide: op, bin, sign per image; equals the functional ops applied one by one', async () => {
      await useBackend(backend);
      const x = images(12);
      const before = tf.memory().numTensors;
      const y = trivialAugmentWide()(x, new Rng(3));
      const twin = new Rng(3);
      const space = augmentationSpace('trivial', 31);
      const steps = Array.from({ length: 12 }, () => {
        const op = space[twin.randint(space.length)];
        let m = op.magnitudes ? op.magnitudes[twin.randint(op.magnitudes.length)] : 0;
        if (op.signed && twin.randint(2) === 1) m = -m;
        return [{ op: op.name, magnitude: m }];
      });
      expect(new Set(steps.map((s) => s[0].op)).size).toBeGreaterThan(5);
      const expected = replay(x, steps);
      expect(Array.from(y.dataSync())).toEqual(Array.from(expected.dataSync()));
      tf.dispose([y, expected]);
      expect(tf.memory().numTensors).toBe(before);
      x.dispose();
    });

    it('randAugment: numOps rounds of (op, sign) per image at the fixed bin', async () => {
      await useBackend(backend);
      const x = images(10);
      const before = tf.memory().numTensors;
      const y = randAugment()(x, new Rng(4));
      const twin = new Rng(4);
      const space = augmentationSpace('rand', 31, [8, 8]);
      const steps = Array.from({ length: 10 }, () =>
        [0, 1].map(() => {
          const op = space[twin.randint(space.length)];
          let m = op.magnitudes ? op.magnitudes[9] : 0;
          if (op.signed && twin.randint(2) === 1) m = -m;
          return { op: op.name, magnitude: m };
        }),
      );
      const expected = replay(x, steps);
      expect(Array.from(y.dataSync())).toEqual(Array.from(expected.dataSync()));
      tf.dispose([y, expected]);
      expect(tf.memory().numTensors).toBe(before);
      x.dispose();
    });

    it('autoAugment (cifar10): sub-policy, two probabilities, two signs per image', async () => {
      await useBackend(backend);
      const x = images(10);
      const before = tf.memory().numTensors;
      const y = autoAugment({ policy: 'cifar10' })(x, new Rng(5));
      const twin = new Rng(5);
      const policy = autoAugmentPolicy('cifar10');
      const space = new Map(augmentationSpace('auto', 10, [8, 8]).map((op) => [op.name, op]));
      const steps = Array.from({ length: 10 }, () => {
        const sub = policy[twin.randint(policy.length)];
        const probs = [twin.random(), twin.random()];
        const signs = [twin.randint(2), twin.randint(2)];
        return sub.flatMap(([op, p, bin], k) => {
          if (!(probs[k] <= p)) return [];
          const meta = space.get(op);
          let m = bin !== null && meta?.magnitudes ? meta.magnitudes[bin] : 0;
          if (meta?.signed && signs[k] === 0) m = -m;
          return [{ op, magnitude: m }];
        });
      });
      const expected = replay(x, steps);
      expect(Array.from(y.dataSync())).toEqual(Array.from(expected.dataSync()));
      tf.dispose([y, expected]);
      expect(tf.memory().numTensors).toBe(before);
      x.dispose();
    });

    it('the same seed (or a restored Rng state) gives the same augmentation; outputs stay in [0, 1]', async () => {
      await useBackend(backend);
      const x = images(6);
      for (const t of [
        autoAugment(),
        autoAugment({ policy: 'svhn', fill: 0.5 }),
        randAugment({ numOps: 3 }),
        trivialAugmentWide({ interpolation: 'bilinear' }),
      ]) {
        const rng = new Rng(7);
        t(x, rng).dispose();
        const state = rng.getState();
        const a = t(x, rng);
        rng.setState(state);
        const b = t(x, rng);
        expect(Array.from(a.dataSync())).toEqual(Array.from(b.dataSync()));
        const values = a.dataSync();
        expect(Math.min(...values)).toBeGreaterThanOrEqual(0);
        expect(Math.max(...values)).toBeLessThanOrEqual(1);
        tf.dispose([a, b]);
      }
      x.dispose();
    });
  });
}

describe('policy options are checked', () => {
  it('unknown options and names say what was meant; bins and magnitudes are validated', async () => {
    await useBackend('cpu');
    // biome-ignore lint/suspicious/noExplicitAny: wrong options on purpose
    const loose = (o: object) => o as any;
    expect(() => autoAugment(loose({ polcy: 'cifar10' }))).toThrow(
      /unknown option 'polcy' \(did you mean 'policy'\?\)/,
    );
    expect(() => autoAugment(loose({ policy: 'cifar' }))).toThrow(/got "cifar" \(did you mean 'cifar10'\?\)/);
    expect(() => randAugment(loose({ num_ops: 2 }))).toThrow(/did you mean 'numOps'/);
    expect(() => randAugment({ magnitude: 31 })).toThrow(/below numMagnitudeBins \(31\), got 31/);
    expect(() => randAugment({ numOps: -1 })).toThrow(/'numOps' must be an integer >= 0/);
    expect(() => autoAugment({ fill: [1, 2] })).toThrow(/'fill' must be a finite number or 3 finite numbers/);
    expect(() => trivialAugmentWide({ numMagnitudeBins: 1 })).toThrow(
      /'numMagnitudeBins' must be an integer >= 2/,
    );
    const ints = tf.zeros([1, 4, 4, 3], 'int32');
    expect(() => trivialAugmentWide()(ints, new Rng(1))).toThrow(/use transforms.toFloat\(\) first/);
    ints.dispose();
  });
});
