// ESM use of @nntk/schedulers with @nntk/optim on plain tfjs variables.
import '@tensorflow/tfjs-backend-cpu';
import { SGD } from '@nntk/optim';
import { StepLR, schedules } from '@nntk/schedulers';
import * as tf from '@tensorflow/tfjs-core';

await tf.setBackend('cpu');
const w = tf.variable(tf.zeros([2]));
const optimizer = new SGD([w], { lr: 0.1 });
const scheduler = new StepLR(optimizer, { stepSize: 2, gamma: 0.5 });
for (let i = 0; i < 4; i++) scheduler.step();
const lr = scheduler.getLastLr()[0];
if (Math.abs(lr - 0.025) > 1e-12) throw new Error(`wrong lr ${lr}`);
if (Math.abs(schedules.cosine(1, 10)(5) - 0.5) > 1e-12) throw new Error('wrong cosine');
console.log('esm schedulers ok');
