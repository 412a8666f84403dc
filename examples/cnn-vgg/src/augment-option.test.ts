import { Rng, useBackend } from '@nntk/core';
import * as tf from '@tensorflow/tfjs-core';
import { expect, it } from 'vitest';
import { AUGMENT_MODES, augmentArg, policyTransform } from './augment-option';

it('--augment picks a policy after the crop and flip; a wrong mode is refused', async () => {
  expect(augmentArg([])).toBe('none');
  expect(augmentArg(['--quick', '--augment', 'rand'])).toBe('rand');
  expect(() => augmentArg(['--augment', 'trivia'])).toThrow(
    /--augment must be one of none, trivial, rand, auto, got "trivia"/,
  );
  expect(() => augmentArg(['--augment'])).toThrow(/got null/);
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
