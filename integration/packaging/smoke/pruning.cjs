// CJS: prune a packed @nntk/layers MLP with the packed @nntk/pruning, train it, compact it.
const { useBackend, valueAndGrads } = require('@nntk/core');
const { MLP, mseLoss } = require('@nntk/layers');
const { SGD } = require('@nntk/optim');
const { compact, isPruned, lnStructured, sparsityReport } = require('@nntk/pruning');
const tf = require('@tensorflow/tfjs-core');

(async () => {
  await useBackend('cpu');
  const model = new MLP({ sizes: [6, 8, 2] });
  await lnStructured(model.layers[0], 'weight', { amount: 0.5, n: 2 });
  const optimizer = new SGD(model.parameters(), { lr: 0.1, momentum: 0.9 });
  const x = tf.randomNormal([4, 6]);
  const y = tf.randomNormal([4, 2]);
  for (let i = 0; i < 3; i++) {
    const { value, grads } = valueAndGrads(() => mseLoss(model.forward(x), y), model.parameters());
    optimizer.step(grads);
    tf.dispose([value, ...grads.values()]);
  }
  const zeros = (await sparsityReport(model)).layers[0].zeros;
  if (zeros !== 24 || !isPruned(model)) throw new Error(`expected 24 pruned weights, got ${zeros}`);
  const small = await compact(model.eval());
  const gap = tf.max(tf.abs(tf.sub(model.forward(x), small.forward(x)))).dataSync()[0];
  if (small.numParameters() >= model.numParameters() || gap > 1e-5) throw new Error(`compact: gap ${gap}`);
  console.log(`cjs pruning ok (${model.numParameters()} -> ${small.numParameters()} parameters)`);
})();
