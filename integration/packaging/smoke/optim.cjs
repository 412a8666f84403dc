// CommonJS require of @nntk/optim with plain tfjs variables.
require('@tensorflow/tfjs-backend-cpu');
const tf = require('@tensorflow/tfjs-core');
const { SGD } = require('@nntk/optim');

tf.setBackend('cpu').then(() => {
  const w = tf.variable(tf.scalar(1));
  const opt = new SGD([w], { lr: 0.1, momentum: 0.9 });
  const { grads } = tf.variableGrads(() => w.square(), [w]);
  opt.step(grads);
  if (Math.abs(w.dataSync()[0] - 0.8) > 1e-6) throw new Error(`wrong SGD step: ${w.dataSync()[0]}`);
  console.log('cjs optim ok');
});
