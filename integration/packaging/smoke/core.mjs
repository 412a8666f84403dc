// ESM smoke test of @nntk/core as a third party imports it.

import { Parameter, useBackend, valueAndGrads } from '@nntk/core';
import * as tf from '@tensorflow/tfjs-core';

for (const backend of ['cpu', 'wasm']) {
  const info = await useBackend(backend);
  const p = new Parameter(tf.tensor1d([1, 2, 3]));
  const { value, grads } = valueAndGrads(() => p.mul(p).sum(), [p]);
  const g = Array.from(grads.get(p).dataSync());
  if (value.dataSync()[0] !== 14 || g.join() !== '2,4,6')
    throw new Error(`wrong gradient on ${backend}: ${g}`);
  console.log(`esm core ${info.name} ok`);
}
