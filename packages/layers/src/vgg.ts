import { check, checkOptions, Module, NntkError } from '@nntk/core';
import type * as tf from '@tensorflow/tfjs-core';
import { BatchNorm2d } from './batch-norm2d';
import { Conv2d } from './conv2d';
import { Dropout } from './dropout';
import { Flatten } from './flatten';
import { Linear } from './linear';
import { MaxPool2d } from './max-pool2d';
import { ReLU } from './relu';
import { Sequential } from './sequential';

export interface VGGOptions {
  /** Channel counts of 3×3 convolutions, with `'M'` for a 2×2 max pool, e.g. `[32, 32, 'M', 64, 64, 'M']`. */
  config: (number | 'M')[];
  inChannels?: number;
  numClasses?: number;
  /** Input height and width (to size the classifier). Default `[28, 28]`. */
  inputSize?: [number, number];
  batchNorm?: boolean;
  /** Hidden widths of the classifier. Default `[256]`. */
  hidden?: number[];
  dropout?: number;
}

/**
 * A configurable VGG-style CNN (Simonyan and Zisserman 2015) for NHWC images: `features` (3×3
 * convolutions with padding 1, optional BatchNorm, ReLU, and 2×2 max pools) and a `classifier`
 * (Flatten → Linear → ReLU → Dropout … → Linear).
 */
export class VGG extends Module {
  features: Sequential;
  classifier: Sequential;

  constructor(options: VGGOptions) {
    super();
    const owner = 'VGG';
    checkOptions<VGGOptions>(owner, options, {
      config: true,
      inChannels: true,
      numClasses: true,
      inputSize: true,
      batchNorm: true,
      hidden: true,
      dropout: true,
    });
    if (!Array.isArray(options?.config) || options.config.length === 0) {
      throw new NntkError(
        'INVALID_OPTION',
        `VGG: option 'config' must be a list of channel counts and 'M', got ${JSON.stringify(options?.config)}`,
      );
    }
    let channels = options.inChannels ?? 1;
    let [height, width] = options.inputSize ?? [28, 28];
    const features: Module[] = [];
    for (const item of options.config) {
      if (item === 'M') {
        features.push(new MaxPool2d(2));
        height = Math.floor(height / 2);
        width = Math.floor(width / 2);
        continue;
      }
      features.push(new Conv2d(channels, item, 3, { padding: 1, bias: !options.batchNorm }));
      if (options.batchNorm) features.push(new BatchNorm2d(item));
      features.push(new ReLU());
      channels = item;
    }
    if (height < 1 || width < 1)
      throw new NntkError(
        'INVALID_OPTION',
        `VGG: the input size ${JSON.stringify(options.inputSize)} is too small for ${options.config.filter((c) => c === 'M').length} poolings`,
      );
    const dropout = check.inRange(owner, 'dropout', options.dropout ?? 0.5, 0, 1);
    const classifier: Module[] = [new Flatten()];
    let inFeatures = channels * height * width;
    for (const hidden of options.hidden ?? [256]) {
      classifier.push(new Linear(inFeatures, hidden), new ReLU());
      if (dropout > 0) classifier.push(new Dropout(dropout));
      inFeatures = hidden;
    }
    classifier.push(new Linear(inFeatures, options.numClasses ?? 10));
    this.features = new Sequential(...features);
    this.classifier = new Sequential(...classifier);
  }

  forward(x: tf.Tensor): tf.Tensor {
    const h = this.features.forward(x);
    const y = this.classifier.forward(h);
    h.dispose();
    return y;
  }
}
