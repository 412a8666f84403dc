import { type Module, NntkError } from '@nntk/core';
import {
  AdaptiveAvgPool2d,
  AvgPool2d,
  BatchNorm1d,
  BatchNorm2d,
  Conv2d,
  Dropout,
  ELU,
  Flatten,
  GELU,
  Identity,
  LeakyReLU,
  Linear,
  MaxPool2d,
  ReLU,
  Sequential,
  Sigmoid,
  SiLU,
  Tanh,
} from '@nntk/layers';
import * as tf from '@tensorflow/tfjs-core';
import { getMask } from './target';

/** What compaction does to one layer: which input and output units it keeps, what to add to its bias. */
export interface LayerPlan {
  layer: Module;
  keepIn?: number[];
  keepOut?: number[];
  biasAdd?: Float32Array;
}

const ACTIVATIONS = [ReLU, LeakyReLU, ELU, GELU, SiLU, Sigmoid, Tanh, Identity, Dropout];

/** The leaf layers of a (possibly nested) Sequential, in order. */
export function leafLayers(model: Module): Module[] {
  if (!(model instanceof Sequential)) {
    throw new NntkError(
      'INVALID_OPTION',
      `compact: expected a Sequential (or MLP/VGG-style chain of layers), got ${model?.constructor?.name}; compact the Sequential parts of your model`,
    );
  }
  return model.layers.flatMap((layer) => (layer instanceof Sequential ? leafLayers(layer) : [layer]));
}

function isProducer(layer: Module): layer is Linear | Conv2d {
  return layer instanceof Linear || (layer instanceof Conv2d && layer.groups === 1);
}

function units(layer: Linear | Conv2d): number {
  return layer instanceof Linear ? layer.outFeatures : layer.outChannels;
}

/** Output units whose weight mask is zero for every input (pruned whole by structured pruning). */
async function deadUnits(layer: Linear | Conv2d): Promise<number[]> {
  const mask = getMask(layer, 'weight');
  if (!mask) return [];
  const count = units(layer);
  const values = await mask.data();
  const alive = new Uint8Array(count);
  for (let i = 0; i < values.length; i++) if (values[i] !== 0) alive[i % count] = 1;
  return [...alive.keys()].filter((c) => alive[c] === 0);
}

function range(n: number): number[] {
  return [...Array(n).keys()];
}

/** Passes the constant outputs of removed units through a per-channel layer (eval-mode semantics). */
async function propagate(layer: Module, values: Float32Array): Promise<Float32Array | undefined> {
  if (layer instanceof BatchNorm1d || layer instanceof BatchNorm2d) {
    const read = (t: tf.Tensor | undefined) => t?.data();
    const [mean, variance, weight, bias] = await Promise.all(
      [layer.runningMean, layer.runningVar, layer.weight, layer.bias].map(read),
    );
    return values.map((v, c) => {
      // Without running statistics a constant channel normalises to 0 in every batch.
      const z = mean && variance ? (v - mean[c]) / Math.sqrt(variance[c] + layer.eps) : 0;
      return weight && bias ? z * weight[c] + bias[c] : z;
    });
  }
  if (ACTIVATIONS.some((kind) => layer instanceof kind)) {
    if (layer instanceof Dropout || layer instanceof Identity) return values;
    const out = tf.tidy(() => layer.forward(tf.tensor2d(values, [1, values.length])) as tf.Tensor);
    const result = Float32Array.from(await out.data());
    out.dispose();
    return result;
  }
  if (layer instanceof MaxPool2d || layer instanceof AdaptiveAvgPool2d || layer instanceof Flatten)
    return values;
  if (layer instanceof AvgPool2d) {
    const padded = layer.padding[0] > 0 || layer.padding[1] > 0;
    return padded && layer.countIncludePad && values.some((v) => v !== 0) ? undefined : values;
  }
  return undefined;
}

function convPads(layer: Conv2d): boolean {
  if (layer.padding === 'valid') return false;
  if (layer.padding === 'same') return layer.kernelSize[0] > 1 || layer.kernelSize[1] > 1;
  return layer.padding[0] > 0 || layer.padding[1] > 0;
}

/**
 * Plans the compaction of a chain: each Linear/Conv2d's dead output units are removed when the next
 * Linear/Conv2d can absorb them: their constant output (bias through the per-channel layers between)
 * is folded into that layer's bias, and its matching inputs are removed.
 */
export async function planCompaction(layers: Module[]): Promise<LayerPlan[]> {
  const plans: LayerPlan[] = layers.map((layer) => ({ layer }));
  for (const [i, layer] of layers.entries()) {
    if (!isProducer(layer)) continue;
    const dead = await deadUnits(layer);
    if (dead.length === 0) continue;
    const bias = layer.bias ? Float32Array.from(await layer.bias.data()) : new Float32Array(units(layer));
    let constants: Float32Array | undefined = bias.map((b, c) => b + (plans[i].biasAdd?.[c] ?? 0));
    let flattened = false;
    let j = i + 1;
    for (; j < layers.length && constants && !isProducer(layers[j]); j++) {
      if (layers[j] instanceof Flatten) flattened = true;
      constants = await propagate(layers[j], constants);
    }
    const consumer = layers[j];
    if (!constants || !consumer || !isProducer(consumer)) continue;
    const fold = foldInto(consumer, dead, constants, flattened, units(layer), await consumer.weight.data());
    if (!fold) continue;
    const dropped = new Set(dead);
    plans[i].keepOut = range(units(layer)).filter((c) => !dropped.has(c));
    for (let k = i + 1; k < j; k++) plans[k].keepOut = plans[i].keepOut;
    plans[j].keepIn = fold.keepIn;
    plans[j].biasAdd = fold.biasAdd;
  }
  return plans;
}

/** The consumer's kept inputs and bias correction, or undefined when it cannot absorb the constants. */
function foldInto(
  consumer: Linear | Conv2d,
  dead: number[],
  constants: Float32Array,
  flattened: boolean,
  channels: number,
  weight: ArrayLike<number>,
): { keepIn: number[]; biasAdd: Float32Array } | undefined {
  const out = units(consumer);
  const biasAdd = new Float32Array(out);
  const deadSet = new Set(dead);
  if (consumer instanceof Linear) {
    const inputs = consumer.inFeatures;
    if (!flattened && inputs !== channels) return undefined;
    if (flattened && inputs % channels !== 0) return undefined;
    const keepIn: number[] = [];
    for (let r = 0; r < inputs; r++) {
      const c = r % channels;
      if (!deadSet.has(c)) keepIn.push(r);
      else for (let o = 0; o < out; o++) biasAdd[o] += constants[c] * weight[r * out + o];
    }
    return { keepIn, biasAdd };
  }
  if (flattened || consumer.inChannels !== channels) return undefined;
  if (convPads(consumer) && dead.some((c) => constants[c] !== 0)) {
    throw new NntkError(
      'UNSUPPORTED',
      `compact: removed channels of the layer before ${consumer.constructor.name}(${consumer.inChannels} -> ${consumer.outChannels}) output non-zero constants (their biases), which a zero-padded convolution cannot fold into its bias exactly; prune with a ReLU that zeroes them, remove the padding, or keep these channels`,
    );
  }
  const [kh, kw] = consumer.kernelSize;
  for (const c of dead)
    for (let p = 0; p < kh * kw; p++)
      for (let o = 0; o < out; o++) biasAdd[o] += constants[c] * weight[(p * channels + c) * out + o];
  return { keepIn: range(channels).filter((c) => !deadSet.has(c)), biasAdd };
}
