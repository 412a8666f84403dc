// CommonJS smoke test of @nntk/core as a third party requires it.
const tf = require('@tensorflow/tfjs-core');
const { Module, Parameter, useBackend } = require('@nntk/core');

class Scale extends Module {
  constructor() {
    super();
    this.weight = new Parameter(tf.ones([2]));
  }
  forward(x) {
    return x.mul(this.weight);
  }
}

useBackend('cpu').then(() => {
  const m = new Scale();
  const y = m.forward(tf.tensor1d([3, 4]));
  if (Array.from(y.dataSync()).join() !== '3,4') throw new Error('wrong output');
  if (m.namedParameters()[0][0] !== 'weight') throw new Error('parameter not found');
  console.log('cjs core ok');
});
