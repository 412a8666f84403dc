import { getRng, type Module, type Parameter } from '@nntk/core';
import { BatchNorm1d, BatchNorm2d, Conv2d, Linear, Sequential } from '@nntk/layers';
import * as tf from '@tensorflow/tfjs-core';
import { customFromMask } from './custom-from-mask';
import { type LayerPlan, leafLayers, planCompaction } from './internal/compact-plan';
import { getMask } from './internal/target';

/** `t` with only the `keep` indices along `axis`. */
function slice(t: tf.Tensor, keep: number[] | undefined, axis: number): tf.Tensor {
  if (!keep) return t;
  return tf.tidy(() => tf.gather(t, tf.tensor1d(keep, 'int32'), axis));
}

function setValue(target: Parameter | tf.Variable | undefined, value: tf.Tensor): void {
  target?.assign(value);
}

/** Copies the (sliced) weight, bias and remaining unstructured mask of a Linear or Conv2d. */
async function fillProducer(
  target: Linear | Conv2d,
  source: Linear | Conv2d,
  plan: LayerPlan,
): Promise<void> {
  const [inAxis, outAxis] = source instanceof Linear ? [0, 1] : [2, 3];
  const cut = (t: tf.Tensor) => slice(slice(t, plan.keepIn, inAxis), plan.keepOut, outAxis);
  tf.tidy(() => {
    setValue(target.weight, cut(source.weight));
    if (target.bias) {
      let bias: tf.Tensor = source.bias ?? tf.zeros([target.bias.size]);
      if (plan.biasAdd && !source.bias) bias = tf.zeros([plan.biasAdd.length]);
      if (plan.biasAdd) bias = tf.add(bias, tf.tensor1d(plan.biasAdd));
      setValue(target.bias, slice(bias, plan.keepOut, 0));
    }
  });
  const mask = getMask(source, 'weight');
  if (!mask) return;
  const sliced = tf.tidy(() => cut(mask));
  const smallest = tf.min(sliced);
  const [least] = await smallest.data();
  smallest.dispose();
  if (least === 0) await customFromMask(target, 'weight', sliced);
  sliced.dispose();
}

async function rebuild(plan: LayerPlan): Promise<Module> {
  const { layer, keepIn, keepOut } = plan;
  const needsBias = plan.biasAdd?.some((v) => v !== 0) ?? false;
  if (layer instanceof Linear) {
    const copy = new Linear(keepIn?.length ?? layer.inFeatures, keepOut?.length ?? layer.outFeatures, {
      bias: layer.bias !== undefined || needsBias,
    });
    await fillProducer(copy, layer, plan);
    return copy;
  }
  if (layer instanceof Conv2d) {
    const copy = new Conv2d(
      keepIn?.length ?? layer.inChannels,
      keepOut?.length ?? layer.outChannels,
      layer.kernelSize,
      {
        stride: layer.stride,
        padding: layer.padding,
        dilation: layer.dilation,
        groups: layer.groups,
        bias: layer.bias !== undefined || needsBias,
      },
    );
    await fillProducer(copy, layer, plan);
    return copy;
  }
  if (layer instanceof BatchNorm1d || layer instanceof BatchNorm2d) {
    const Kind = layer instanceof BatchNorm1d ? BatchNorm1d : BatchNorm2d;
    const copy = new Kind(keepOut?.length ?? layer.numFeatures, {
      eps: layer.eps,
      momentum: layer.momentum,
      affine: layer.weight !== undefined,
      trackRunningStats: layer.runningMean !== undefined,
    });
    tf.tidy(() => {
      for (const key of ['weight', 'bias', 'runningMean', 'runningVar'] as const) {
        const source = layer[key];
        if (source) setValue(copy[key], slice(source, keepOut, 0));
      }
      if (layer.numBatchesTracked) setValue(copy.numBatchesTracked, layer.numBatchesTracked);
    });
    copy.train(layer.training);
    return copy;
  }
  // Layers without parameters or buffers (activations, pooling, dropout, flatten) are shared.
  return layer;
}

/**
 * Physically removes the neurons and channels that structured pruning zeroed whole (`lnStructured` or
 * `randomStructured` along the output axis), returning a new, smaller `Sequential`: each pruned layer
 * loses those outputs, the BatchNorm layers after it lose the matching statistics, and the next Linear or
 * Conv2d loses the matching inputs. A removed unit still outputs its bias (PyTorch's structured pruning
 * masks weights only); that constant, passed through the layers between, is folded into the next layer's
 * bias, so the compact model computes the masked model's outputs in eval mode (up to float rounding).
 * Unstructured zeros stay, with their masks. The input model is not changed; the RNG is not advanced.
 * Masks, biases and statistics are read with `await data()` (no synchronous device read).
 */
export async function compact(model: Module): Promise<Sequential> {
  const layers = leafLayers(model);
  const rng = getRng();
  const saved = rng.getState();
  try {
    const rebuilt: Module[] = [];
    for (const plan of await planCompaction(layers)) rebuilt.push(await rebuild(plan));
    const compacted = new Sequential(...rebuilt);
    compacted.train(model.training);
    return compacted;
  } finally {
    rng.setState(saved);
  }
}
