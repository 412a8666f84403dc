import { join } from 'node:path';
import {
  check,
  getRng,
  type Module,
  NntkError,
  type RngState,
  seed as seedGlobal,
  valueAndGrads,
  writeFileAtomic,
} from '@nntk/core';
import type { Batch, DataLoader } from '@nntk/datasets';
import { MetricCollection, type StreamedMetric } from '@nntk/metrics';
import { clipGradNorm, clipGradValue, GradientAccumulator, type Optimizer } from '@nntk/optim';
import * as tf from '@tensorflow/tfjs-core';
import type { Callback, Logs } from './callback';
import { lastCheckpointDirectory, loadCheckpoint, saveCheckpoint } from './checkpoint';
import { StepLogger } from './step-logger';

/** A scheduler as the trainer drives it: `@nntk/schedulers` ones, including `ReduceLROnPlateau`. */
export interface TrainerScheduler {
  step(metric?: number): void;
  getLastLr(): number[];
  stateDict(): unknown;
  loadStateDict(state: never): void;
}

/** A custom training step: returns the loss (and optionally the outputs, for metrics). */
export type TrainStep = (
  batch: Batch,
  context: { model: Module; training: boolean },
) => { loss: tf.Scalar; output?: tf.Tensor };

export interface TrainerOptions {
  model: Module;
  optimizer: Optimizer;
  /** `(output, target) => scalar`, e.g. `crossEntropy` from `@nntk/layers`. */
  loss?: (output: tf.Tensor, target: tf.Tensor) => tf.Tensor;
  /** Replaces `model.forward` + `loss` for unusual objectives (denoising, mixup soft targets). */
  trainStep?: TrainStep;
  scheduler?: TrainerScheduler;
  /** Step the scheduler after every batch or every epoch. Default 'epoch'. */
  schedulerInterval?: 'epoch' | 'step';
  /** The log `ReduceLROnPlateau` receives. Default 'val_loss' (or 'loss' without validation). */
  schedulerMonitor?: string;
  /** Classification metrics computed on training and validation batches. */
  metrics?: Exclude<StreamedMetric, 'confusionMatrix'>[];
  callbacks?: Callback[];
  gradClip?: { maxNorm: number; normType?: number } | { maxValue: number };
  accumulateGradBatches?: number;
  seed?: number;
  /** Where `config.json`, `metrics.jsonl` and `checkpoints/last` go. */
  runDir?: string;
  /** Saved as `config.json` in the run directory. */
  config?: unknown;
}

export interface FitOptions {
  epochs: number;
  valLoader?: AsyncIterable<Batch>;
  /** `'last'` (the run directory's last checkpoint) or a checkpoint directory. */
  resumeFrom?: 'last' | string;
}

export interface History {
  epochs: Logs[];
}

/**
 * The training loop (Keras's `fit` / Lightning's `Trainer`) for any nntk `Module` and optimizer: train
 * and eval modes, metrics, schedulers per step or epoch, gradient clipping and accumulation, callbacks,
 * checkpoints with model, optimizer, scheduler, RNG and data-loader state, and exact resume. Every batch
 * is disposed and the tensor count stays flat across epochs.
 */
export class Trainer {
  readonly model: Module;
  readonly optimizer: Optimizer;
  readonly callbacks: Callback[];
  /** Set by a callback (or the user) to end training after the current batch. */
  stopTraining = false;
  epoch = 0;
  globalStep = 0;
  history: History = { epochs: [] };
  private readonly accumulator?: GradientAccumulator;
  /** The training loader of the running `fit` (its length sizes the progress bar). */
  trainLoader?: DataLoader;

  constructor(private readonly options: TrainerOptions) {
    if (!options?.model || !options.optimizer)
      throw new NntkError('INVALID_OPTION', 'Trainer: options.model and options.optimizer are required');
    if (!options.loss && !options.trainStep)
      throw new NntkError('INVALID_OPTION', "Trainer: give a 'loss' function or a custom 'trainStep'");
    check.oneOf('Trainer', 'schedulerInterval', options.schedulerInterval ?? 'epoch', ['epoch', 'step']);
    this.model = options.model;
    this.optimizer = options.optimizer;
    this.callbacks = options.callbacks ?? [];
    if (options.runDir)
      this.callbacks = [...this.callbacks, new StepLogger(join(options.runDir, 'steps.jsonl'))];
    const k = check.integer('Trainer', 'accumulateGradBatches', options.accumulateGradBatches ?? 1, 1);
    if (k > 1) this.accumulator = new GradientAccumulator(this.optimizer, { steps: k });
  }

  get runDir(): string | undefined {
    return this.options.runDir;
  }

  private forwardLoss(batch: Batch, training: boolean): { loss: tf.Scalar; output?: tf.Tensor } {
    if (this.options.trainStep) return this.options.trainStep(batch, { model: this.model, training });
    const output = this.model.forward(batch.x) as tf.Tensor;
    return {
      loss: (this.options.loss as (o: tf.Tensor, t: tf.Tensor) => tf.Tensor)(output, batch.y) as tf.Scalar,
      output,
    };
  }

  private applyGradients(grads: Map<tf.Variable, tf.Tensor>): void {
    const clip = this.options.gradClip;
    if (clip && 'maxNorm' in clip) clipGradNorm(grads, clip.maxNorm, { normType: clip.normType });
    if (clip && 'maxValue' in clip) clipGradValue(grads, clip.maxValue);
    if (this.accumulator) this.accumulator.add(grads);
    else this.optimizer.step(grads);
  }

  private async trainBatch(batch: Batch, metrics?: MetricCollection): Promise<number> {
    let output: tf.Tensor | undefined;
    const { value, grads } = valueAndGrads(
      () => {
        const result = this.forwardLoss(batch, true);
        if (metrics && result.output) output = tf.keep(result.output);
        return result.loss;
      },
      this.model.parameters().filter((p) => p.trainable),
    );
    try {
      await this.callHook('onAfterBackward', grads);
      this.applyGradients(grads);
      if (metrics && output) metrics.update(output, batch.y);
      return (await value.data())[0];
    } finally {
      tf.dispose([value, ...grads.values()]);
      output?.dispose();
    }
  }

  private metricCollection(): MetricCollection | undefined {
    const names = this.options.metrics ?? [];
    if (names.length === 0) return undefined;
    const classes = this.numClasses ?? 1;
    return new MetricCollection(names, { numClasses: classes });
  }

  /** The number of classes, learned from the first model output (for metrics). */
  numClasses?: number;

  private async detectClasses(loader: AsyncIterable<Batch>): Promise<void> {
    if (this.numClasses !== undefined || !(this.options.metrics ?? []).length) return;
    const probe = (this.trainLoader ?? loader) as DataLoader;
    if ('dataset' in probe) {
      const dataset = probe.dataset as { getBatch?: (i: number[]) => Batch };
      if (dataset.getBatch) {
        const batch = dataset.getBatch([0]);
        const y = tf.tidy(() => this.model.eval().forward(batch.x) as tf.Tensor);
        this.numClasses = y.shape[y.rank - 1];
        tf.dispose([y, batch.x, batch.y]);
        this.model.train();
        return;
      }
    }
    throw new NntkError(
      'INVALID_OPTION',
      'Trainer: metrics need the number of classes; set trainer.numClasses before fit()',
    );
  }

  private async callHook<K extends keyof Callback>(hook: K, ...args: unknown[]): Promise<void> {
    for (const cb of this.callbacks) {
      const fn = cb[hook] as ((...a: unknown[]) => unknown) | undefined;
      if (typeof fn === 'function') await fn.apply(cb, args);
    }
  }

  private currentLr(): number {
    return (
      this.options.scheduler?.getLastLr()[0] ??
      (this.optimizer.currentLr(this.optimizer.paramGroups[0]) as number)
    );
  }

  /** Trains for `epochs` epochs (counting epochs already done when resuming) and returns the history. */
  async fit(trainLoader: AsyncIterable<Batch>, fitOptions: FitOptions): Promise<History> {
    const epochs = check.integer('Trainer.fit', 'epochs', fitOptions?.epochs, 1);
    this.trainLoader = 'stateDict' in (trainLoader as object) ? (trainLoader as DataLoader) : undefined;
    if (this.options.seed !== undefined && !fitOptions.resumeFrom) seedGlobal(this.options.seed);
    if (fitOptions.resumeFrom) await this.resume(fitOptions.resumeFrom);
    else if (this.options.runDir) await this.writeConfig();
    await this.detectClasses(trainLoader);
    this.stopTraining = false;
    for (const cb of this.callbacks) cb.trainer = this;
    await this.callHook('onTrainBegin');
    while (this.epoch < epochs && !this.stopTraining) {
      const logs = await this.runEpoch(trainLoader, fitOptions.valLoader);
      this.history.epochs.push(logs);
      this.epoch += 1;
      await this.callHook('onEpochEnd', this.epoch - 1, logs);
      if (this.options.runDir) await this.persistEpoch();
    }
    await this.callHook('onTrainEnd', this.history.epochs.at(-1) ?? {});
    return this.history;
  }

  private async runEpoch(trainLoader: AsyncIterable<Batch>, valLoader?: AsyncIterable<Batch>): Promise<Logs> {
    await this.callHook('onEpochBegin', this.epoch);
    this.model.train();
    const metrics = this.metricCollection();
    const started = Date.now();
    let lossSum = 0;
    let samples = 0;
    let batchIndex = 0;
    for await (const batch of trainLoader) {
      await this.callHook('onBatchBegin', batchIndex);
      const size = batch.x.shape[0] ?? 1;
      let loss: number;
      try {
        loss = await this.trainBatch(batch, metrics);
      } finally {
        tf.dispose([batch.x, batch.y]);
      }
      lossSum += loss * size;
      samples += size;
      this.globalStep += 1;
      if (this.options.scheduler && this.options.schedulerInterval === 'step') this.options.scheduler.step();
      await this.callHook('onBatchEnd', batchIndex, { loss, size, lr: this.currentLr() });
      batchIndex += 1;
      if (this.stopTraining) break;
    }
    this.accumulator?.flush();
    const seconds = (Date.now() - started) / 1000;
    const logs: Logs = {
      epoch: this.epoch,
      loss: lossSum / Math.max(samples, 1),
      lr: this.currentLr(),
      seconds,
      samplesPerSecond: samples / Math.max(seconds, 1e-9),
    };
    if (metrics) for (const [k, v] of Object.entries(await metrics.compute())) logs[k] = v as number;
    if (valLoader) {
      const val = await this.evaluate(valLoader);
      for (const [k, v] of Object.entries(val)) logs[`val_${k}`] = v;
      await this.callHook('onValidationEnd', this.epoch, logs);
    }
    if (this.options.scheduler && (this.options.schedulerInterval ?? 'epoch') === 'epoch')
      this.stepEpochScheduler(logs);
    return logs;
  }

  private stepEpochScheduler(logs: Logs): void {
    const scheduler = this.options.scheduler as TrainerScheduler;
    if (scheduler.constructor.name === 'ReduceLROnPlateau') {
      const key = this.options.schedulerMonitor ?? ('val_loss' in logs ? 'val_loss' : 'loss');
      if (!(key in logs))
        throw new NntkError(
          'INVALID_OPTION',
          `Trainer: schedulerMonitor '${key}' is not among the logs (${Object.keys(logs).join(', ')})`,
        );
      scheduler.step(logs[key]);
    } else scheduler.step();
  }

  /** Loss and metrics over a loader, in eval mode, without gradients. */
  async evaluate(loader: AsyncIterable<Batch>): Promise<Logs> {
    const wasTraining = this.model.training;
    this.model.eval();
    const metrics = this.metricCollection();
    let lossSum = 0;
    let samples = 0;
    try {
      for await (const batch of loader) {
        const size = batch.x.shape[0] ?? 1;
        const { loss, output } = tf.tidy(() => {
          const r = this.forwardLoss(batch, false);
          return { loss: r.loss, output: metrics ? r.output : undefined };
        });
        lossSum += (await loss.data())[0] * size;
        samples += size;
        if (metrics && output) metrics.update(output, batch.y);
        tf.dispose([loss, output as tf.Tensor, batch.x, batch.y]);
      }
    } finally {
      this.model.train(wasTraining);
    }
    const logs: Logs = { loss: lossSum / Math.max(samples, 1) };
    if (metrics) for (const [k, v] of Object.entries(await metrics.compute())) logs[k] = v as number;
    return logs;
  }

  /** Model outputs for every batch, concatenated (eval mode). */
  async predict(loader: AsyncIterable<Batch>): Promise<tf.Tensor> {
    const wasTraining = this.model.training;
    this.model.eval();
    const parts: tf.Tensor[] = [];
    try {
      for await (const batch of loader) {
        parts.push(tf.tidy(() => this.model.forward(batch.x) as tf.Tensor));
        tf.dispose([batch.x, batch.y]);
      }
    } finally {
      this.model.train(wasTraining);
    }
    const out = tf.concat(parts, 0);
    tf.dispose(parts);
    return out;
  }

  /** Everything an exact resume needs, as JSON (the tensors go to safetensors). */
  private resumableState() {
    const callbacks: Record<string, unknown> = {};
    for (const cb of this.callbacks) if (cb.stateDict) callbacks[cb.name] = cb.stateDict();
    return {
      epoch: this.epoch,
      globalStep: this.globalStep,
      rng: getRng().getState(),
      loader: this.trainLoader?.stateDict(),
      scheduler: this.options.scheduler?.stateDict(),
      callbacks,
      history: this.history,
    };
  }

  /** Writes a checkpoint of the whole training state to `directory`. */
  async saveCheckpoint(directory: string): Promise<void> {
    await saveCheckpoint(directory, {
      model: this.model,
      optimizer: this.optimizer,
      state: this.resumableState(),
    });
  }

  private async resume(from: string): Promise<void> {
    const directory =
      from === 'last' ? lastCheckpointDirectory(this.requireRunDir('resumeFrom: "last"')) : from;
    const state = await loadCheckpoint(directory, this.model, this.optimizer);
    this.epoch = state.epoch;
    this.globalStep = state.globalStep;
    this.history = (state.history as History) ?? { epochs: [] };
    getRng().setState(state.rng as RngState);
    if (state.loader && this.trainLoader) this.trainLoader.loadStateDict(state.loader as never);
    if (state.scheduler && this.options.scheduler)
      this.options.scheduler.loadStateDict(state.scheduler as never);
    const callbacks = (state.callbacks ?? {}) as Record<string, Record<string, unknown>>;
    for (const cb of this.callbacks)
      if (cb.loadStateDict && callbacks[cb.name]) cb.loadStateDict(callbacks[cb.name]);
  }

  private requireRunDir(what: string): string {
    if (!this.options.runDir) throw new NntkError('INVALID_OPTION', `Trainer: ${what} needs a runDir`);
    return this.options.runDir;
  }

  private async writeConfig(): Promise<void> {
    const dir = this.options.runDir as string;
    await writeFileAtomic(
      join(dir, 'config.json'),
      `${JSON.stringify(this.options.config ?? {}, null, 2)}\n`,
    );
    await writeFileAtomic(join(dir, 'metrics.jsonl'), '');
  }

  private async persistEpoch(): Promise<void> {
    const dir = this.options.runDir as string;
    const lines = this.history.epochs.map((l) => JSON.stringify(l)).join('\n');
    await writeFileAtomic(join(dir, 'metrics.jsonl'), `${lines}\n`);
    await this.saveCheckpoint(lastCheckpointDirectory(dir));
  }
}
