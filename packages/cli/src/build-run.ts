import { type BackendName, type Module, seed, useBackend } from '@nntk/core';
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
import { inSweepTrial, SweepTrialCallback } from '@nntk/runs';
import * as schedulers from '@nntk/schedulers';
import {
  EarlyStopping,
  ModelCheckpoint,
  ProgressBar,
  Pruner,
  Trainer,
  type TrainerScheduler,
} from '@nntk/trainer';
import { checkModelFitsData } from './check-model';
import {
  type ModelConfig,
  type OptimizerConfig,
  type SchedulerConfig,
  type SyntheticName,
  syntheticOptionSchemas,
} from './component-schemas';
import type { RunConfig } from './config';
import { holdOutValidation } from './hold-out';

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

/** A synthetic data set from its validated `data.options` (2,000 samples and seed 0 unless given). */
function buildSynthetic(name: SyntheticName, raw: Record<string, unknown>): TensorDataset {
  const defaults = { n: 2000, seed: 0 };
  switch (name) {
    case 'spirals':
      return spirals({ ...defaults, ...syntheticOptionSchemas.spirals.parse(raw) });
    case 'moons':
      return moons({ ...defaults, ...syntheticOptionSchemas.moons.parse(raw) });
    case 'blobs':
      return blobs({ ...defaults, ...syntheticOptionSchemas.blobs.parse(raw) });
    case 'manifold':
      return manifold({ ...defaults, ...syntheticOptionSchemas.manifold.parse(raw) });
  }
}

export async function buildData(config: RunConfig['data']): Promise<BuiltData> {
  const files = { root: config.root, download: config.download };
  const limit = (d: TensorDataset): TensorDataset | Subset<unknown> =>
    config.limit && config.limit < d.length
      ? new Subset<unknown>(
          d,
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
      const full = buildSynthetic(config.name, config.options);
      const [train, val] = randomSplit(full, [0.8, 0.2], { seed: 0 });
      return { train, val, task: config.name === 'manifold' ? 'regression' : 'classification' };
    }
  }
}

function inputShapeOf(data: BuiltData): number[] {
  const source = (data.train instanceof Subset ? data.train.dataset : data.train) as TensorDataset;
  return source.x.shape;
}

/** A component config without its `name` (and a scheduler's `interval`): the constructor's options. */
function optionsOf<C extends { name: string; interval?: unknown }>(config: C): Omit<C, 'name' | 'interval'> {
  const { name: _name, interval: _interval, ...options } = config;
  return options;
}

export function buildModel(config: ModelConfig, data: BuiltData): Module {
  const shape = inputShapeOf(data);
  switch (config.name) {
    case 'vgg':
      return new VGG({ inChannels: shape[2], inputSize: [shape[0], shape[1]], ...optionsOf(config) });
    case 'deepfcnet':
      return new DeepFCNet(optionsOf(config));
    case 'mlp': {
      const mlp = new MLP(optionsOf(config));
      return shape.length > 1 ? new Sequential(new Flatten(), mlp) : mlp;
    }
  }
}

export function buildOptimizer(config: OptimizerConfig, model: Module): optim.Optimizer {
  const params = model.parameters();
  switch (config.name) {
    case 'sgd':
      return new optim.SGD(params, optionsOf(config));
    case 'adam':
      return new optim.Adam(params, optionsOf(config));
    case 'adamw':
      return new optim.AdamW(params, optionsOf(config));
    case 'adamax':
      return new optim.Adamax(params, optionsOf(config));
    case 'nadam':
      return new optim.NAdam(params, optionsOf(config));
    case 'radam':
      return new optim.RAdam(params, optionsOf(config));
    case 'rmsprop':
      return new optim.RMSprop(params, optionsOf(config));
    case 'adagrad':
      return new optim.Adagrad(params, optionsOf(config));
    case 'adadelta':
      return new optim.Adadelta(params, optionsOf(config));
    case 'lion':
      return new optim.Lion(params, optionsOf(config));
    case 'lamb':
      return new optim.LAMB(params, optionsOf(config));
  }
}

export function buildScheduler(
  config: SchedulerConfig | undefined,
  optimizer: optim.Optimizer,
  epochs: number,
  stepsPerEpoch: number,
): TrainerScheduler | undefined {
  if (!config) return undefined;
  switch (config.name) {
    case 'step':
      return new schedulers.StepLR(optimizer, optionsOf(config));
    case 'multistep':
      return new schedulers.MultiStepLR(optimizer, optionsOf(config));
    case 'exponential':
      return new schedulers.ExponentialLR(optimizer, optionsOf(config));
    case 'linear':
      return new schedulers.LinearLR(optimizer, optionsOf(config));
    case 'cosine':
      return new schedulers.CosineAnnealingLR(optimizer, {
        tMax: config.interval === 'step' ? epochs * stepsPerEpoch : epochs,
        ...optionsOf(config),
      });
    case 'onecycle':
      return new schedulers.OneCycleLR(optimizer, {
        maxLr: optimizer.paramGroups[0].lr as number,
        totalSteps: epochs * stepsPerEpoch,
        ...optionsOf(config),
      });
    case 'plateau':
      return new schedulers.ReduceLROnPlateau(optimizer, optionsOf(config));
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
  const outputs = await checkModelFitsData(model, data, config);
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
  // Last, so it reports complete epoch logs: a sweep's trial waits for each pruning decision.
  if (inSweepTrial()) callbacks.push(new SweepTrialCallback());
  const trainer = new Trainer({
    model,
    optimizer,
    loss: classification ? crossEntropy : mseLoss,
    metrics: classification ? ['accuracy'] : [],
    numClasses: classification ? outputs : undefined,
    scheduler,
    schedulerInterval:
      config.scheduler?.interval ?? (config.scheduler?.name === 'onecycle' ? 'step' : 'epoch'),
    gradClip: config.trainer.gradClip,
    accumulateGradBatches: config.trainer.accumulateGradBatches,
    nonFinite: config.trainer.nonFinite,
    callbacks,
    runDir: config.runDir,
    config,
  });
  return { trainer, trainLoader, valLoader, model, data };
}
