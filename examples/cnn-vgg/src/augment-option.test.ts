import { Rng, useBackend } from '@nntk/core';
import * as tf from '@tensorflow/tfjs-core';
import { expect, it } from 'vitest';
import { AUGMENT_MODES, augmentArg, epochsArg, policyTransform } from './augment-option';

it('--augment picks a policy after the crop and flip; a wrong mode is refused', async () => {
  expect(augmentArg([])).toBe('none');
  expect(augmentArg(['--quick', '--augment', 'rand'])).toBe('rand');
  expect(() => augmentArg(['--augment', 'trivia'])).toThrow(
    /--augment must be one of none, trivial, rand, auto, got "trivia"/,
  );
  expect(() => augmentArg(['--augment'])).toThrow(/got null/);
  expect(epochsArg(['--epochs', '6'])).toBe(6);
  expect(epochsArg([])).toBeUndefined();
  expect(() => epochsArg(['--epochs', '0'])).toThrow(/--epochs must be a positive integer, got "0"/);
  await useBackend('cpu');
  const x = tf.fill([4, 28, 28, 1], 0.5);
  expect(policyTransform('none')).toHaveLength(0);
  for (const mode of AUGMENT_MODES.slice(1)) {
    const [t] = policyTransform(mode);
    const y = t(x, new Rng(1));
    expect(y.shape).toEqual([4, 28, 28, 1]);
    y.dispose();
  }
  x.dispose();
});
