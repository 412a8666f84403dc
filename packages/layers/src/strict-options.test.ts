import { NntkError, useBackend } from '@nntk/core';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import * as layers from './index';

beforeAll(async () => {
  await useBackend('cpu');
});

/** Options as they arrive from a config file or a PyTorch habit: untyped. */
const untyped = (json: string) => JSON.parse(json);

const x = () => tf.zeros([2, 3]);
const labels = () => tf.tensor1d([0, 1], 'int32');

/** Every layer and loss taking an options object, given a misspelt option, and the suggestion expected. */
const cases: [string, () => unknown, string, string][] = [
  ['Linear', () => new layers.Linear(2, 3, untyped('{"bais": false}')), 'bais', 'bias'],
  [
    'Conv2d',
    () => new layers.Conv2d(2, 3, 3, untyped('{"weight_init": "zeros", "stride": 1}')),
    'weight_init',
    '',
  ],
  ['Conv2d', () => new layers.Conv2d(2, 3, 3, untyped('{"strides": 2}')), 'strides', 'stride'],
  ['MaxPool2d', () => new layers.MaxPool2d(2, untyped('{"ceil_mode": true}')), 'ceil_mode', 'ceilMode'],
  ['AvgPool2d', () => new layers.AvgPool2d(2, untyped('{"ceilmode": true}')), 'ceilmode', 'ceilMode'],
  [
    'AvgPool2d',
    () => new layers.AvgPool2d(2, untyped('{"countIncludePads": false}')),
    'countIncludePads',
    'countIncludePad',
  ],
  ['BatchNorm1d', () => new layers.BatchNorm1d(3, untyped('{"momentom": 0.2}')), 'momentom', 'momentum'],
  [
    'BatchNorm2d',
    () => new layers.BatchNorm2d(3, untyped('{"track_running_stats": false}')),
    'track_running_stats',
    'trackRunningStats',
  ],
  ['InstanceNorm2d', () => new layers.InstanceNorm2d(3, untyped('{"afine": true}')), 'afine', 'affine'],
  [
    'LayerNorm',
    () => new layers.LayerNorm(3, untyped('{"elementwise_affine": false}')),
    'elementwise_affine',
    'elementwiseAffine',
  ],
  ['GroupNorm', () => new layers.GroupNorm(1, 3, untyped('{"epsilon": 1e-3}')), 'epsilon', ''],
  ['GELU', () => new layers.GELU(untyped('{"approximation": "tanh"}')), 'approximation', 'approximate'],
  ['Dropout', () => new layers.Dropout(0.5, untyped('{"inplace": true}')), 'inplace', ''],
  ['MLP', () => new layers.MLP(untyped('{"sizes": [2, 3], "batchnorm": true}')), 'batchnorm', 'batchNorm'],
  ['VGG', () => new layers.VGG(untyped('{"config": [4, "M"], "numClass": 3}')), 'numClass', 'numClasses'],
  [
    'DeepFCNet',
    () =>
      new layers.DeepFCNet(
        untyped('{"inputDim": 2, "width": 4, "depth": 1, "outputDim": 2, "inti": "rezero"}'),
      ),
    'inti',
    'init',
  ],
  [
    'crossEntropy',
    () => layers.crossEntropy(x(), labels(), untyped('{"label_smoothing": 0.1}')),
    'label_smoothing',
    'labelSmoothing',
  ],
  [
    'nllLoss',
    () => layers.nllLoss(x(), labels(), untyped('{"ignore_index": 1}')),
    'ignore_index',
    'ignoreIndex',
  ],
  ['mseLoss', () => layers.mseLoss(x(), x(), untyped('{"reductoin": "sum"}')), 'reductoin', 'reduction'],
  ['l1Loss', () => layers.l1Loss(x(), x(), untyped('{"reductio": "sum"}')), 'reductio', 'reduction'],
  ['huberLoss', () => layers.huberLoss(x(), x(), untyped('{"delt": 2}')), 'delt', 'delta'],
  [
    'bceWithLogits',
    () => layers.bceWithLogits(x(), x(), untyped('{"pos_weight": 2}')),
    'pos_weight',
    'posWeight',
  ],
];

describe('every layer and loss rejects unknown options, naming the closest known one', () => {
  for (const [owner, make, typo, suggestion] of cases) {
    it(`${owner}: '${typo}'${suggestion ? ` → '${suggestion}'` : ''}`, () => {
      let error: unknown;
      try {
        make();
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(NntkError);
      const { code, message } = error as NntkError;
      expect(code).toBe('INVALID_OPTION');
      expect(message).toContain(`${owner}: unknown option '${typo}'.`);
      if (suggestion) expect(message).toContain(`Did you mean '${suggestion}'?`);
      else expect(message).not.toContain('Did you mean');
      expect(message).toContain('Known options:');
    });
  }

  it("AvgPool2d's ceilMode is used, no longer ignored: 5×5 by 2 gives 3×3", () => {
    const y = new layers.AvgPool2d(2, { ceilMode: true }).forward(tf.ones([1, 5, 5, 1]));
    expect(y.shape).toEqual([1, 3, 3, 1]);
    expect(Array.from(y.dataSync())).toEqual(Array(9).fill(1));
    y.dispose();
  });
});
