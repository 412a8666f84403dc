// Micro-measurement (not part of `pnpm bench`): the embedding lookup and its gradient on wasm, i.e. the
// GatherV2 and UnsortedSegmentSum kernels as nntk registers them, alone and inside an Embedding forward +
// backward, for a few vocabulary sizes (wall time of the calls: wasm runs synchronously). Prints one line
// per shape: the median of 20 timed calls after 3 warm-up calls.
// Run from the repository root after `pnpm exec turbo run build --filter=@nntk/layers`:
//   NNTK_WASM_THREADS=1 node bench/scenarios/segment-sum.mjs
import { useBackend, valueAndGrads } from '@nntk/core';
import { Embedding } from '@nntk/layers';
import * as tf from '@tensorflow/tfjs-core';
import { median } from './common.mjs';

await useBackend(process.argv[2] ?? 'wasm');

function time(fn, repeats = 20) {
  for (let i = 0; i < 3; i++) tf.dispose(fn());
  const times = [];
  for (let i = 0; i < repeats; i++) {
    const started = performance.now();
    // wasm kernels run synchronously: the work is done when the call returns.
    const out = fn();
    times.push(performance.now() - started);
    tf.dispose(out);
  }
  return median(times);
}

console.log(
  '| vocabulary | ids (batch x length) | width | GatherV2 ms | UnsortedSegmentSum ms | Embedding fwd+bwd ms |',
);
console.log('| ---: | ---: | ---: | ---: | ---: | ---: |');
for (const [vocab, batch, length, width] of [
  [16, 64, 32, 64],
  [1000, 64, 32, 64],
  [10000, 64, 32, 128],
  [50000, 32, 64, 256],
]) {
  const rows = batch * length;
  const ids = tf.tensor1d(
    Array.from({ length: rows }, (_, i) => (i * 7919) % vocab),
    'int32',
  );
  const dy = tf.randomNormal([rows, width], 0, 1, 'float32', 1);
  const segment = time(() => tf.unsortedSegmentSum(dy, ids, vocab));
  const layer = new Embedding(vocab, width);
  const gather = time(() => tf.gather(layer.weight, ids));
  const ids2d = ids.reshape([batch, length]);
  const embedding = time(() => {
    const { value, grads } = valueAndGrads(() => tf.sum(layer.forward(ids2d)), layer.parameters());
    return [grads.get(layer.weight), value];
  });
  console.log(
    `| ${vocab} | ${batch} x ${length} | ${width} | ${gather.toFixed(3)} | ${segment.toFixed(3)} | ${embedding.toFixed(3)} |`,
  );
  tf.dispose([ids, ids2d, dy]);
  layer.dispose();
}
