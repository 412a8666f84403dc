import { type BackendName, type Module, NntkError, seed, useBackend } from '@nntk/core';
import {
  blobs,
  cifar10,
  DataLoader,
  embeddedFashionMnist,
  fashionMnist,
  manifold,
  mnist,
  moons,
  randomSplit,
  Subset,
  spirals,
  type TensorDataset,
} from '@nntk/datasets';
import { crossEntropy, DeepFCNet, Flatten, MLP, mseLoss, Sequential, VGG } from '@nntk/layers';
import * as optim from '@nntk/optim';
import { polynomialDecaySparsity } from '@nntk/pruning';
import * as schedulers from '@nntk/schedulers';
import {
  EarlyStopping,
  ModelCheckpoint,
  ProgressBar,
  Pruner,
  Trainer,
  type TrainerScheduler,
} from '@nntk/trainer';
import type * as tf from '@tensorflow/tfjs-core';
import type { RunConfig } from './config';
import { holdOutValidation } from './hold-out';

const OPTIMIZERS: Record<
  RunConfig['optimizer']['name'],
  new (
    params: tf.Variable[],
    options: never,
  ) => optim.Optimizer
> = {
  sgd: optim.SGD as never,
  adam: optim.Adam as never,
  adamw: optim.AdamW as never,
  adamax: optim.Adamax as never,
  nadam: optim.NAdam as never,
  radam: optim.RAdam as never,
  rmsprop: optim.RMSprop as never,
  adagrad: optim.Adagrad as never,
  adadelta: optim.Adadelta as never,
  lion: optim.Lion as never,
  lamb: optim.LAMB as never,
};

export interface BuiltData {
  train: TensorDataset | Subset<unknown>;
  val: TensorDataset | Subset<unknown>;
  /** The data set's test split when `data.valSplit` holds the validation set out of the training set. */
  test?: TensorDataset | Subset<unknown>;
  task: 'classification' | 'regression';
  classNames?: string[];
}

const FASHION_CLASSES = [
  'T-shirt',
  'Trouser',
  'Pullover',
  'Dress',
  'Coat',
  'Sandal',
  'Shirt',
  'Sneaker',
  'Bag',
  'Ankle boot',
];

export async function buildData(config: RunConfig['data']): Promise<BuiltData> {
  const files = { root: config.root, download: config.download };
  const limit = <T>(d: T & { length: number }) =>
    config.limit && config.limit < d.length
      ? new Subset(
          d as never,
          Array.from({ length: config.limit }, (_, i) => i),
        )
      : d;
  switch (config.name) {
    case 'embedded-fashion-mnist':
      return {
        train: limit(await embeddedFashionMnist()),
        val: await embeddedFashionMnist({ split: 'test' }),
        task: 'classification',
        classNames: FASHION_CLASSES,
      };
    case 'fashion-mnist':
      return {
        train: limit(await fashionMnist(files)),
        val: await fashionMnist({ ...files, split: 'test' }),
        task: 'classification',
        classNames: FASHION_CLASSES,
      };
    case 'mnist':
      return {
        train: limit(await mnist(files)),
        val: await mnist({ ...files, split: 'test' }),
        task: 'classification',
      };
    case 'cifar10':
      return {
        train: limit(await cifar10(files)),
        val: await cifar10({ ...files, split: 'test' }),
        task: 'classification',
      };
    default: {
      const make = { spirals, moons, blobs, manifold }[config.name] as (o: never) => TensorDataset;
      const full = make({ n: 2000, seed: 0, ...config.options } as never);
      const [train, val] = randomSplit(full, [0.8, 0.2], { seed: 0 });
      return { train, val, task: config.name === 'manifold' ? 'regression' : 'classification' };
    }
  }
}

function inputShapeOf(data: BuiltData): number[] {
  const source = (data.train instanceof Subset ? data.train.dataset : data.train) as TensorDataset;
  return source.x.shape;
}

export function buildModel(config: RunConfig['model'], data: BuiltData): Module {
  const { name, ...options } = config as Record<string, unknown> & { name: string };
  const shape = inputShapeOf(data);
  if (name === 'vgg')
    return new VGG({ inChannels: shape[2], inputSize: [shape[0], shape[1]], ...options } as never);
  if (name === 'deepfcnet') return new DeepFCNet(options as never);
  const mlp = new MLP(options as never);
  return shape.length > 1 ? new Sequential(new Flatten(), mlp) : mlp;
}

export function buildOptimizer(config: RunConfig['optimizer'], model: Module): optim.Optimizer {
  const { name, ...options } = config;
  return new OPTIMIZERS[name](model.parameters(), options as never);
}

export function buildScheduler(
  config: RunConfig['scheduler'],
  optimizer: optim.Optimizer,
  epochs: number,
  stepsPerEpoch: number,
): TrainerScheduler | undefined {
  if (!config) return undefined;
  const { name, interval: _interval, ...options } = config as Record<string, unknown> & { name: string };
  const o = options as never;
  switch (name) {
    case 'step':
      return new schedulers.StepLR(optimizer, o);
    case 'multistep':
      return new schedulers.MultiStepLR(optimizer, o);
    case 'exponential':
      return new schedulers.ExponentialLR(optimizer, o);
    case 'linear':
      return new schedulers.LinearLR(optimizer, o);
    case 'cosine':
      return new schedulers.CosineAnnealingLR(optimizer, {
        tMax: config.interval === 'step' ? epochs * stepsPerEpoch : epochs,
        ...(options as object),
      });
    case 'onecycle':
      return new schedulers.OneCycleLR(optimizer, {
        maxLr: optimizer.paramGroups[0].lr as number,
        totalSteps: epochs * stepsPerEpoch,
        ...(options as object),
      });
    case 'plateau':
      return new schedulers.ReduceLROnPlateau(optimizer, o) as unknown as TrainerScheduler;
    default:
      throw new NntkError('INVALID_CONFIG', `scheduler.name: unknown scheduler ${JSON.stringify(name)}`);
  }
}

export interface BuiltRun {
  trainer: Trainer;
  trainLoader: DataLoader;
  valLoader: DataLoader;
  model: Module;
  data: BuiltData;
}

/** Builds backend, data, model, optimizer, scheduler, callbacks and the trainer from a validated config. */
export async function buildRun(config: RunConfig, options: { progress?: boolean } = {}): Promise<BuiltRun> {
  await useBackend(config.backend as BackendName | undefined);
  seed(config.seed);
  const data = holdOutValidation(await buildData(config.data), config.data.valSplit, config.seed);
  const model = buildModel(config.model, data);
  const optimizer = buildOptimizer(config.optimizer, model);
  const trainLoader = new DataLoader(data.train, {
    batchSize: config.data.batchSize,
    shuffle: true,
    seed: config.seed,
  });
  const valLoader = new DataLoader(data.val, { batchSize: config.data.valBatchSize });
  const epochs = config.trainer.epochs;
  const scheduler = buildScheduler(config.scheduler, optimizer, epochs, trainLoader.length);
  const classification = data.task === 'classification';
  const callbacks = [];
  if (options.progress ?? true) callbacks.push(new ProgressBar({ totalEpochs: epochs }));
  if (config.callbacks.earlyStopping) callbacks.push(new EarlyStopping(config.callbacks.earlyStopping));
  if (config.callbacks.modelCheckpoint)
    callbacks.push(
      new ModelCheckpoint({ dir: `${config.runDir}/checkpoints/best`, ...config.callbacks.modelCheckpoint }),
    );
  if (config.callbacks.pruner) {
    const { mode, initialSparsity = 0, ...steps } = config.callbacks.pruner;
    callbacks.push(
      new Pruner({ model, mode, schedule: polynomialDecaySparsity({ initialSparsity, ...steps }) }),
    );
  }
  const trainer = new Trainer({
    model,
    optimizer,
    loss: classification ? crossEntropy : mseLoss,
    metrics: classification ? ['accuracy'] : [],
    scheduler,
    schedulerInterval:
      config.scheduler?.interval ?? (config.scheduler?.name === 'onecycle' ? 'step' : 'epoch'),
    gradClip: config.trainer.gradClip,
    accumulateGradBatches: config.trainer.accumulateGradBatches,
    callbacks,
    runDir: config.runDir,
    config,
  });
  return { trainer, trainLoader, valLoader, model, data };
}
