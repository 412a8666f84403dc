import { check, getRng, type Module, NntkError, seed as seedGlobal, valueAndGrads } from '@nntk/core';
import type { Batch, DataLoader } from '@nntk/datasets';
import type { MetricCollection, StreamedMetric } from '@nntk/metrics';
import {
  clipGradNorm,
  clipGradNormTransform,
  clipGradValue,
  clipGradValueTransform,
  GradientAccumulator,
  type Optimizer,
  type Scheduler,
} from '@nntk/optim';
import * as tf from '@tensorflow/tfjs-core';
import type { Callback, Logs } from './callback';
import type { SaveCheckpointOptions } from './checkpoint-contents';
import {
  type CompiledBackward,
  type CompiledUpdateSetup,
  compiledBackward,
  type TrainerCompileOption,
} from './compiled-backward';
import { EpochProgress, type InEpochState } from './internal/epoch-progress';
import { evaluateLoader, predictLoader } from './internal/evaluation';
import { FiniteGuard } from './internal/finite-guard';
import { NonFinitePolicy } from './internal/non-finite-policy';
import { addMetricLogs, createMetrics, resolveNumClasses } from './internal/num-classes';
import { callbackStates, restoreTraining } from './internal/resume-state';
import { SchedulerStepper } from './internal/scheduler-stepper';
import { yieldToEventLoop } from './internal/yield';
import type { CheckpointStore, RunStore } from './run-store';
import type { TrainingContext } from './training-context';

export type { InEpochState } from './internal/epoch-progress';

/**
 * A scheduler as the trainer drives it: the one `Scheduler` contract of `@nntk/optim`, stepped by its
 * `kind` (`'step'` after every optimizer step, `'epoch'` after every epoch, `'metric'` after every epoch
 * with the monitored log), never by its class.
 */
export type TrainerScheduler = Scheduler;

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
  /** Step the scheduler after every batch or every epoch. Default: its `kind` (`'step'` or else `'epoch'`). */
  schedulerInterval?: 'epoch' | 'step';
  /** The log `ReduceLROnPlateau` receives. Default 'val_loss' (or 'loss' without validation). */
  schedulerMonitor?: string;
  /** Classification metrics computed on training and validation batches. */
  metrics?: Exclude<StreamedMetric, 'confusionMatrix'>[];
  /**
   * The number of classes the metrics count. Default: the training data set's (its `numClasses`, or its
   * integer labels' `max + 1`); `fit` raises an `INVALID_OPTION` NntkError when metrics need it and
   * neither is known. The model is never run to find it.
   */
  numClasses?: number;
  callbacks?: Callback[];
  gradClip?: { maxNorm: number; normType?: number } | { maxValue: number };
  accumulateGradBatches?: number;
  seed?: number;
  /** Where `config.json`, `metrics.jsonl` and `checkpoints/last` go. */
  runDir?: string;
  /** Saved as `config.json` in the run directory. */
  config?: unknown;
  /**
   * Where the run directory is written (default in Node: `FileRunStore(runDir)`). A Trainer from the
   * browser entry has no file system: give one here or leave `runDir` out.
   */
  runStore?: RunStore;
  /** Where checkpoints are written and found (default in Node: directories on disk). */
  checkpointStore?: CheckpointStore;
  /**
   * What a NaN or infinite loss or gradient does: `'stop'` (default) ends training and persists nothing
   * from that point (the last checkpoint stays the last finite one), `'skip'` drops that step's update
   * and counts it in the epoch's `skippedSteps`, `'ignore'` trains on through non-finite steps; in every
   * mode, weights that are non-finite when something is to be persisted stop the run unwritten.
   */
  nonFinite?: 'stop' | 'skip' | 'ignore';
  /** In `'stop'` mode, steps between reads of the on-device gradient finiteness flag. Default 20. */
  nonFiniteCheckEvery?: number;
  /** Passed to every checkpoint write (fault-injection hook between file-system steps, for tests). */
  checkpointOptions?: SaveCheckpointOptions;
  /**
   * Compile the training step (bit-identical, see `CompiledBackward`): forward, loss and backward, and
   * where the step is the plain one the gradient check, clipping and optimizer update too. Default false.
   */
  compile?: TrainerCompileOption;
}

/** Why and where `fit` stopped on a non-finite value. */
export interface NonFiniteStop {
  epoch: number;
  globalStep: number;
  what: string;
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

/** Names what needs Node when a browser Trainer is asked to read or write files. */
function noFiles(what: string): NntkError {
  return new NntkError(
    'UNSUPPORTED',
    `Trainer: ${what} reads and writes files; in Node import Trainer from '@nntk/trainer' (its node entry) or '@nntk/trainer/node', in a browser give a checkpointStore/runStore or leave it out`,
  );
}

/**
 * The training loop (Keras's `fit` / Lightning's `Trainer`) for any nntk `Module` and optimizer: train
 * and eval modes, metrics, schedulers per step or epoch, gradient clipping and accumulation, callbacks,
 * checkpoints with model, optimizer, scheduler, RNG and data-loader state, and exact resume. Every batch
 * is disposed and the tensor count stays flat across epochs.
 *
 * The loop is small and calls explicit parts: `SchedulerStepper` (when and how the scheduler steps),
 * `NonFinitePolicy` (NaN/Inf handling), `EpochProgress` (an epoch's running totals), the metric set-up
 * (`resolveNumClasses`), the resume state (`resume-state`), and a `RunStore`/`CheckpointStore` for every
 * file it writes. This class needs no file system: the Node entry's `Trainer` gives it the on-disk stores.
 */
export class Trainer implements TrainingContext {
  readonly model: Module;
  readonly optimizer: Optimizer;
  readonly callbacks: Callback[];
  /** Set by a callback (or the user) to end training after the current batch. */
  stopTraining = false;
  epoch = 0;
  globalStep = 0;
  history: History = { epochs: [] };
  /** The number of classes the metrics count (the `numClasses` option, or found in the training data). */
  numClasses?: number;
  /** The training loader of the running `fit` (its length sizes the progress bar). */
  trainLoader?: DataLoader;
  /** Set when `fit` stopped on a NaN/Inf loss or gradient (nothing was persisted from that step on). */
  stoppedOnNonFinite?: NonFiniteStop;
  /** Set by a resume: the checkpoint directory used and the candidates skipped (with why). */
  resumedFrom?: {
    directory: string;
    epoch: number;
    batch: number;
    skipped: { directory: string; reason: string }[];
  };
  private readonly accumulator?: GradientAccumulator;
  private readonly schedule: SchedulerStepper;
  private readonly nonFinite: NonFinitePolicy;
  private readonly runStore?: RunStore;
  private readonly checkpointStore?: CheckpointStore;
  private pendingInEpoch?: InEpochState;
  private inEpoch?: EpochProgress;
  /** The compiled forward/backward with `compile: true`; its `stats` say how batches ran. */
  readonly compiled?: CompiledBackward;

  constructor(private readonly options: TrainerOptions) {
    if (!options?.model || !options.optimizer)
      throw new NntkError('INVALID_OPTION', 'Trainer: options.model and options.optimizer are required');
    if (!options.loss && !options.trainStep)
      throw new NntkError('INVALID_OPTION', "Trainer: give a 'loss' function or a custom 'trainStep'");
    this.schedule = new SchedulerStepper(options.scheduler, {
      interval: options.schedulerInterval,
      monitor: options.schedulerMonitor,
    });
    this.model = options.model;
    this.optimizer = options.optimizer;
    if (options.numClasses !== undefined)
      this.numClasses = check.integer('Trainer', 'numClasses', options.numClasses, 1);
    if (options.runDir && !options.runStore) throw noFiles(`runDir '${options.runDir}'`);
    this.runStore = options.runStore;
    this.checkpointStore = options.checkpointStore;
    this.callbacks = [...(options.callbacks ?? []), ...(this.runStore?.callbacks() ?? [])];
    const k = check.integer('Trainer', 'accumulateGradBatches', options.accumulateGradBatches ?? 1, 1);
    if (k > 1) this.accumulator = new GradientAccumulator(this.optimizer, { steps: k });
    this.nonFinite = new NonFinitePolicy(options.nonFinite, options.nonFiniteCheckEvery);
    this.compiled = compiledBackward(
      options.compile,
      this.model,
      (b) => this.forwardLoss(b, true),
      this.compiledUpdateSetup(),
    );
  }

  /**
   * What `compile` needs to compile the update with the backward, where the step is the plain one: a
   * `loss` (no custom `trainStep`), no gradient accumulation, no `onAfterBackward` callback, and a
   * `nonFinite` mode whose check stays on the device (not `'skip'`).
   */
  private compiledUpdateSetup(): CompiledUpdateSetup | undefined {
    const { loss, trainStep, gradClip } = this.options;
    if (!loss || trainStep || this.accumulator) return undefined;
    if (this.callbacks.some((cb) => typeof cb.onAfterBackward === 'function')) return undefined;
    const finite = this.nonFinite.gradientTransform();
    if (finite === null) return undefined;
    const transforms = finite ? [finite] : [];
    if (gradClip && 'maxNorm' in gradClip)
      transforms.push(clipGradNormTransform(gradClip.maxNorm, { normType: gradClip.normType }));
    if (gradClip && 'maxValue' in gradClip) transforms.push(clipGradValueTransform(gradClip.maxValue));
    return { optimizer: this.optimizer, lossFn: loss as CompiledUpdateSetup['lossFn'], transforms };
  }

  get runDir(): string | undefined {
    return this.runStore?.dir;
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
    if (clip && 'maxNorm' in clip)
      clipGradNorm(grads, clip.maxNorm, { normType: clip.normType }).totalNorm.dispose();
    if (clip && 'maxValue' in clip) clipGradValue(grads, clip.maxValue);
    if (this.accumulator) this.accumulator.add(grads);
    else this.optimizer.step(grads);
  }

  private stopOnNonFinite(what: string): void {
    this.stoppedOnNonFinite ??= { epoch: this.epoch, globalStep: this.globalStep, what };
    this.stopTraining = true;
  }

  /** Trains on one batch; returns its loss, or undefined when the step was skipped as non-finite. */
  private async trainBatch(batch: Batch, metrics?: MetricCollection): Promise<number | undefined> {
    if (this.compiled?.includesUpdate) return this.trainCompiledStep(this.compiled, batch, metrics);
    const compiled = this.compiled?.run(batch, metrics !== undefined);
    let output: tf.Tensor | undefined = compiled?.output;
    const { value, grads } =
      compiled ??
      valueAndGrads(
        () => {
          const result = this.forwardLoss(batch, true);
          if (metrics && result.output) output = tf.keep(result.output);
          return result.loss;
        },
        this.model.parameters().filter((p) => p.trainable),
      );
    try {
      if (!(await this.nonFinite.admit(value, grads.values()))) return undefined;
      await this.callHook('onAfterBackward', grads);
      this.applyGradients(grads);
      if (metrics && output) metrics.update(output, batch.y);
      return (await value.data())[0];
    } finally {
      tf.dispose([value, ...grads.values()]);
      output?.dispose();
    }
  }

  /** One batch through the compiled step that includes the update (see `compiledUpdateSetup`). */
  private async trainCompiledStep(
    compiled: CompiledBackward,
    batch: Batch,
    metrics?: MetricCollection,
  ): Promise<number> {
    this.nonFinite.prepareStep();
    const { value, output } = compiled.runStep(batch, metrics !== undefined);
    try {
      // The gradients' check ran inside the step; the loss's is recorded here (never a skip: not 'skip').
      await this.nonFinite.admit(value, []);
      if (metrics && output) metrics.update(output, batch.y);
      return (await value.data())[0];
    } finally {
      value.dispose();
      output?.dispose();
    }
  }

  private metrics(): MetricCollection | undefined {
    return createMetrics(this.options.metrics ?? [], this.numClasses);
  }

  private async callHook<K extends keyof Callback>(hook: K, ...args: unknown[]): Promise<void> {
    for (const cb of this.callbacks) {
      const fn = cb[hook] as ((...a: unknown[]) => unknown) | undefined;
      if (typeof fn === 'function') await fn.apply(cb, args);
    }
  }

  /** Trains for `epochs` epochs (counting epochs already done when resuming) and returns the history. */
  async fit(trainLoader: AsyncIterable<Batch>, fitOptions: FitOptions): Promise<History> {
    const epochs = check.integer('Trainer.fit', 'epochs', fitOptions?.epochs, 1);
    this.trainLoader = 'stateDict' in (trainLoader as object) ? (trainLoader as DataLoader) : undefined;
    this.numClasses = resolveNumClasses(this.options.metrics ?? [], this.numClasses, trainLoader);
    if (this.options.seed !== undefined && !fitOptions.resumeFrom) seedGlobal(this.options.seed);
    const run = this.runStore;
    if (run) await this.requireCheckpoints('runDir').removeStaleStaging(run.lastCheckpoint);
    if (fitOptions.resumeFrom) await this.resume(fitOptions.resumeFrom);
    else if (run) await run.begin(this.options.config);
    this.stopTraining = false;
    this.stoppedOnNonFinite = undefined;
    for (const cb of this.callbacks) cb.trainer = this;
    try {
      await this.callHook('onTrainBegin');
      await this.epochLoop(trainLoader, fitOptions.valLoader, epochs);
      await this.callHook('onTrainEnd', this.history.epochs.at(-1) ?? {});
    } finally {
      this.nonFinite.dispose();
      this.compiled?.dispose();
    }
    return this.history;
  }

  private async epochLoop(
    trainLoader: AsyncIterable<Batch>,
    valLoader: AsyncIterable<Batch> | undefined,
    epochs: number,
  ): Promise<void> {
    while (this.epoch < epochs && !this.stopTraining) {
      const logs = await this.runEpoch(trainLoader, valLoader);
      if (this.stoppedOnNonFinite) return;
      if (!logs) {
        // Stopped inside the epoch: save it as interrupted (step and loader position), count nothing.
        if (this.runStore && (await this.stateIsFinite()))
          await this.saveCheckpoint(this.runStore.lastCheckpoint);
        return;
      }
      if (!(await this.stateIsFinite())) return;
      this.history.epochs.push(logs);
      this.epoch += 1;
      await this.callHook('onEpochEnd', this.epoch - 1, logs);
      if (this.runStore) {
        await this.runStore.writeEpochs(this.history.epochs);
        await this.saveCheckpoint(this.runStore.lastCheckpoint);
      }
    }
  }

  /**
   * True when the on-device gradient flag and every parameter are finite (read asynchronously); false
   * also stops training (in every mode: nothing non-finite is ever persisted). Called before anything is
   * persisted.
   */
  private async stateIsFinite(): Promise<boolean> {
    const problem = await this.nonFinite.persistable(this.model, this.globalStep);
    if (problem) this.stopOnNonFinite(problem);
    return problem === undefined;
  }

  /** One epoch (or the rest of an interrupted one); undefined when it was stopped before its end. */
  private async runEpoch(
    trainLoader: AsyncIterable<Batch>,
    valLoader?: AsyncIterable<Batch>,
  ): Promise<Logs | undefined> {
    const resumed = this.pendingInEpoch;
    this.pendingInEpoch = undefined;
    await this.callHook('onEpochBegin', this.epoch);
    this.model.train();
    const metrics = this.metrics();
    if (resumed?.metrics && metrics) metrics.loadStateDict(resumed.metrics);
    const progress = new EpochProgress(resumed);
    this.inEpoch = progress;
    let complete = true;
    for await (const batch of trainLoader) {
      await this.callHook('onBatchBegin', progress.batch);
      const size = batch.x.shape[0] ?? 1;
      let loss: number | undefined;
      try {
        loss = await this.trainBatch(batch, metrics);
      } finally {
        tf.dispose([batch.x, batch.y]);
      }
      if (this.nonFinite.stopsOnLoss(loss)) this.stopOnNonFinite('a non-finite loss');
      else progress.record(loss, size);
      this.globalStep += 1;
      if (!(await this.nonFinite.periodicCheck(this.globalStep)))
        this.stopOnNonFinite('a non-finite gradient');
      if (this.stoppedOnNonFinite) return undefined;
      this.schedule.afterStep();
      await this.callHook('onBatchEnd', progress.batch, {
        loss: loss ?? Number.NaN,
        size,
        lr: this.schedule.currentLr(this.optimizer),
      });
      progress.advance();
      // Lets signal handlers (Ctrl-C) and timers run between batches: a stop is seen within one batch.
      await yieldToEventLoop();
      if (this.stopTraining) {
        complete = false;
        break;
      }
    }
    if (!complete) {
      if (metrics) progress.state.metrics = await metrics.stateDict();
      return undefined;
    }
    this.inEpoch = undefined;
    this.accumulator?.flush();
    const logs = progress.logs(this.epoch, this.schedule.currentLr(this.optimizer));
    await addMetricLogs(logs, metrics);
    if (valLoader) {
      const val = await this.evaluate(valLoader);
      for (const [k, v] of Object.entries(val)) logs[`val_${k}`] = v;
      await this.callHook('onValidationEnd', this.epoch, logs);
    }
    this.schedule.afterEpoch(logs);
    return logs;
  }

  /** Loss and metrics over a loader, in eval mode, without gradients. */
  async evaluate(loader: AsyncIterable<Batch>): Promise<Logs> {
    this.numClasses = resolveNumClasses(this.options.metrics ?? [], this.numClasses, loader);
    return evaluateLoader(
      this.model,
      (batch, training) => this.forwardLoss(batch, training),
      loader,
      this.metrics(),
    );
  }

  /** Model outputs for every batch, concatenated (eval mode). */
  async predict(loader: AsyncIterable<Batch>): Promise<tf.Tensor> {
    return predictLoader(this.model, loader);
  }

  /** Everything an exact resume needs, as JSON (the tensors go to safetensors). */
  private resumableState() {
    return {
      epoch: this.epoch,
      globalStep: this.globalStep,
      rng: getRng().getState(),
      loader: this.trainLoader?.stateDict(),
      scheduler: this.options.scheduler?.stateDict(),
      callbacks: callbackStates(this.callbacks),
      history: this.history,
      inEpoch: this.inEpoch?.snapshot(),
    };
  }

  private requireCheckpoints(what: string): CheckpointStore {
    if (!this.checkpointStore) throw noFiles(what);
    return this.checkpointStore;
  }

  /**
   * Writes a checkpoint of the whole training state to `directory` (see `saveCheckpoint` for the
   * crash-safe switch). Refuses (NON_FINITE) when a parameter is NaN or infinite, so no checkpoint ever
   * holds non-finite weights.
   */
  async saveCheckpoint(directory: string): Promise<void> {
    const store = this.requireCheckpoints('saveCheckpoint');
    if (!(await FiniteGuard.allFinite([...this.model.parameters(), ...this.model.buffers()])))
      throw new NntkError(
        'NON_FINITE',
        `Trainer.saveCheckpoint: the model has NaN or infinite parameters or buffers; ${directory} was not written`,
      );
    await store.save(
      directory,
      {
        model: this.model,
        optimizer: this.optimizer,
        state: this.resumableState(),
        accumulator: this.accumulator?.stateDict(),
      },
      this.options.checkpointOptions,
    );
  }

  private async resume(from: string): Promise<void> {
    const store = this.requireCheckpoints('resumeFrom');
    let directory = from;
    if (from === 'last') {
      if (!this.runStore) throw new NntkError('INVALID_OPTION', 'Trainer: resumeFrom: "last" needs a runDir');
      directory = this.runStore.lastCheckpoint;
    }
    const found = await store.find(directory);
    if (!found)
      throw new NntkError(
        'FILE_NOT_FOUND',
        `Trainer: nothing to resume from in ${directory} (no checkpoint was written there); start without resumeFrom to train from scratch`,
      );
    const { contents } = found;
    const restored = restoreTraining(contents, {
      model: this.model,
      optimizer: this.optimizer,
      accumulator: this.accumulator,
      loader: this.trainLoader,
      scheduler: this.options.scheduler,
      callbacks: this.callbacks,
    });
    this.epoch = restored.epoch;
    this.globalStep = restored.globalStep;
    this.history = restored.history;
    this.pendingInEpoch = restored.inEpoch;
    this.resumedFrom = {
      directory: contents.directory,
      epoch: contents.state.epoch,
      batch: contents.state.inEpoch?.batch ?? 0,
      skipped: found.skipped,
    };
  }
}
