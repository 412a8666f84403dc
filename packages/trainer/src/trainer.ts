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
import {
  clipGradNorm,
  clipGradValue,
  GradientAccumulator,
  type Optimizer,
  type Scheduler,
} from '@nntk/optim';
import * as tf from '@tensorflow/tfjs-core';
import type { Callback, Logs } from './callback';
import {
  applyCheckpoint,
  type CheckpointContents,
  type CheckpointState,
  checkpointAccumulator,
  disposeCheckpoint,
  findCheckpoint,
  lastCheckpointDirectory,
  removeStaleStaging,
  type SaveCheckpointOptions,
  saveCheckpoint,
} from './checkpoint';
import { type CompiledBackward, compiledBackward, type TrainerCompileOption } from './compiled-backward';
import { FiniteGuard } from './internal/finite-guard';
import { yieldToEventLoop } from './internal/yield';
import { StepLogger } from './step-logger';
import type { TrainingContext } from './training-context';

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
  callbacks?: Callback[];
  gradClip?: { maxNorm: number; normType?: number } | { maxValue: number };
  accumulateGradBatches?: number;
  seed?: number;
  /** Where `config.json`, `metrics.jsonl` and `checkpoints/last` go. */
  runDir?: string;
  /** Saved as `config.json` in the run directory. */
  config?: unknown;
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
  /** Compile forward + loss + backward (bit-identical, see `CompiledBackward`). Default false. */
  compile?: TrainerCompileOption;
}

/** Progress inside an interrupted epoch, saved in the checkpoint so the epoch resumes exactly. */
export interface InEpochState {
  batch: number;
  lossSum: number;
  samples: number;
  skippedSteps: number;
  metrics?: { matrix: number[][] };
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

/** Runs a state restore; a raw TypeError from malformed state becomes a CORRUPT_CHECKPOINT NntkError. */
function restoring(what: string, fn: () => void): void {
  restoringValue(what, fn);
}

function restoringValue<T>(what: string, fn: () => T): T {
  try {
    return fn();
  } catch (error) {
    if (error instanceof NntkError) throw error;
    throw new NntkError(
      'CORRUPT_CHECKPOINT',
      `Trainer: cannot restore the ${what}: ${(error as Error).message}`,
      {
        cause: error,
      },
    );
  }
}

/**
 * The training loop (Keras's `fit` / Lightning's `Trainer`) for any nntk `Module` and optimizer: train
 * and eval modes, metrics, schedulers per step or epoch, gradient clipping and accumulation, callbacks,
 * checkpoints with model, optimizer, scheduler, RNG and data-loader state, and exact resume. Every batch
 * is disposed and the tensor count stays flat across epochs.
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
  private readonly accumulator?: GradientAccumulator;
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
  private readonly nonFiniteMode: 'stop' | 'skip' | 'ignore';
  private readonly schedulerInterval: 'epoch' | 'step';
  private readonly guard: FiniteGuard;
  private pendingInEpoch?: InEpochState;
  private inEpoch?: InEpochState;
  /** The compiled forward/backward with `compile: true`; its `stats` say how batches ran. */
  readonly compiled?: CompiledBackward;

  constructor(private readonly options: TrainerOptions) {
    if (!options?.model || !options.optimizer)
      throw new NntkError('INVALID_OPTION', 'Trainer: options.model and options.optimizer are required');
    if (!options.loss && !options.trainStep)
      throw new NntkError('INVALID_OPTION', "Trainer: give a 'loss' function or a custom 'trainStep'");
    this.schedulerInterval = check.oneOf(
      'Trainer',
      'schedulerInterval',
      options.schedulerInterval ?? (options.scheduler?.kind === 'step' ? 'step' : 'epoch'),
      ['epoch', 'step'],
    );
    if (options.scheduler?.kind === 'metric' && this.schedulerInterval === 'step')
      throw new NntkError(
        'INVALID_OPTION',
        "Trainer: a 'metric' scheduler (ReduceLROnPlateau) steps once per epoch with the monitored log; drop schedulerInterval: 'step'",
      );
    this.model = options.model;
    this.optimizer = options.optimizer;
    this.callbacks = options.callbacks ?? [];
    if (options.runDir)
      this.callbacks = [...this.callbacks, new StepLogger(join(options.runDir, 'steps.jsonl'))];
    const k = check.integer('Trainer', 'accumulateGradBatches', options.accumulateGradBatches ?? 1, 1);
    if (k > 1) this.accumulator = new GradientAccumulator(this.optimizer, { steps: k });
    this.nonFiniteMode = check.oneOf('Trainer', 'nonFinite', options.nonFinite ?? 'stop', [
      'stop',
      'skip',
      'ignore',
    ]);
    this.guard = new FiniteGuard(
      check.integer('Trainer', 'nonFiniteCheckEvery', options.nonFiniteCheckEvery ?? 20, 1),
    );
    this.compiled = compiledBackward(options.compile, this.model, (b) => this.forwardLoss(b, true));
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

  private stopOnNonFinite(what: string): void {
    this.stoppedOnNonFinite ??= { epoch: this.epoch, globalStep: this.globalStep, what };
    this.stopTraining = true;
  }

  /** Trains on one batch; returns its loss, or undefined when the step was skipped as non-finite. */
  private async trainBatch(batch: Batch, metrics?: MetricCollection): Promise<number | undefined> {
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
      if (this.nonFiniteMode === 'skip') {
        const flag = FiniteGuard.stepFlag(value, grads.values());
        const ok = (await flag.data())[0] !== 0;
        flag.dispose();
        if (!ok) return undefined;
      } else if (this.nonFiniteMode === 'stop')
        this.guard.record(FiniteGuard.stepFlag(value, grads.values()));
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
    if (this.options.runDir) await removeStaleStaging(lastCheckpointDirectory(this.options.runDir));
    if (fitOptions.resumeFrom) await this.resume(fitOptions.resumeFrom);
    else if (this.options.runDir) await this.writeConfig();
    await this.detectClasses(trainLoader);
    this.stopTraining = false;
    this.stoppedOnNonFinite = undefined;
    for (const cb of this.callbacks) cb.trainer = this;
    try {
      await this.callHook('onTrainBegin');
      await this.epochLoop(trainLoader, fitOptions.valLoader, epochs);
      await this.callHook('onTrainEnd', this.history.epochs.at(-1) ?? {});
    } finally {
      this.guard.dispose();
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
        if (this.options.runDir && (await this.stateIsFinite()))
          await this.saveCheckpoint(lastCheckpointDirectory(this.options.runDir));
        return;
      }
      if (!(await this.stateIsFinite())) return;
      this.history.epochs.push(logs);
      this.epoch += 1;
      await this.callHook('onEpochEnd', this.epoch - 1, logs);
      if (this.options.runDir) await this.persistEpoch();
    }
  }

  /**
   * True when the on-device gradient flag and every parameter are finite (read asynchronously); false
   * also stops training (in every mode: nothing non-finite is ever persisted). Called before anything is
   * persisted.
   */
  private async stateIsFinite(): Promise<boolean> {
    const gradsOk = await this.guard.check(this.globalStep);
    const paramsOk = await FiniteGuard.allFinite([...this.model.parameters(), ...this.model.buffers()]);
    if (gradsOk && paramsOk) return true;
    this.stopOnNonFinite(gradsOk ? 'a non-finite parameter' : 'a non-finite gradient');
    return false;
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
    const metrics = this.metricCollection();
    if (resumed?.metrics && metrics) metrics.loadStateDict(resumed.metrics);
    const started = Date.now();
    const progress: InEpochState = resumed ?? { batch: 0, lossSum: 0, samples: 0, skippedSteps: 0 };
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
      if (loss === undefined) progress.skippedSteps += 1;
      else if (!Number.isFinite(loss) && this.nonFiniteMode === 'stop')
        this.stopOnNonFinite('a non-finite loss');
      else {
        progress.lossSum += loss * size;
        progress.samples += size;
      }
      this.globalStep += 1;
      if (this.guard.due && !(await this.guard.check(this.globalStep)))
        this.stopOnNonFinite('a non-finite gradient');
      if (this.stoppedOnNonFinite) return undefined;
      if (this.options.scheduler && this.schedulerInterval === 'step') this.options.scheduler.step();
      await this.callHook('onBatchEnd', progress.batch, {
        loss: loss ?? Number.NaN,
        size,
        lr: this.currentLr(),
      });
      progress.batch += 1;
      // Lets signal handlers (Ctrl-C) and timers run between batches: a stop is seen within one batch.
      await yieldToEventLoop();
      if (this.stopTraining) {
        complete = false;
        break;
      }
    }
    if (!complete) {
      if (metrics) progress.metrics = await metrics.stateDict();
      return undefined;
    }
    this.inEpoch = undefined;
    this.accumulator?.flush();
    const seconds = (Date.now() - started) / 1000;
    const logs: Logs = {
      epoch: this.epoch,
      loss: progress.lossSum / Math.max(progress.samples, 1),
      lr: this.currentLr(),
      seconds,
      samplesPerSecond: progress.samples / Math.max(seconds, 1e-9),
    };
    if (progress.skippedSteps > 0) logs.skippedSteps = progress.skippedSteps;
    if (metrics) for (const [k, v] of Object.entries(await metrics.compute())) logs[k] = v as number;
    if (valLoader) {
      const val = await this.evaluate(valLoader);
      for (const [k, v] of Object.entries(val)) logs[`val_${k}`] = v;
      await this.callHook('onValidationEnd', this.epoch, logs);
    }
    if (this.options.scheduler && this.schedulerInterval === 'epoch') this.stepEpochScheduler(logs);
    return logs;
  }

  private stepEpochScheduler(logs: Logs): void {
    const scheduler = this.options.scheduler as TrainerScheduler;
    if (scheduler.kind === 'metric') {
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

  /** Each callback with its checkpoint key: its name, `name#2` for the second of that name, and so on. */
  private callbackKeys(): [Callback, string][] {
    const seen = new Map<string, number>();
    return this.callbacks.map((cb) => {
      const count = (seen.get(cb.name) ?? 0) + 1;
      seen.set(cb.name, count);
      return [cb, count === 1 ? cb.name : `${cb.name}#${count}`];
    });
  }

  /** Everything an exact resume needs, as JSON (the tensors go to safetensors). */
  private resumableState() {
    const callbacks: Record<string, Record<string, unknown>> = {};
    for (const [cb, key] of this.callbackKeys()) if (cb.stateDict) callbacks[key] = cb.stateDict();
    return {
      epoch: this.epoch,
      globalStep: this.globalStep,
      rng: getRng().getState(),
      loader: this.trainLoader?.stateDict(),
      scheduler: this.options.scheduler?.stateDict(),
      callbacks,
      history: this.history,
      inEpoch: this.inEpoch ? { ...this.inEpoch } : undefined,
    };
  }

  /**
   * Writes a checkpoint of the whole training state to `directory` (see `saveCheckpoint` for the
   * crash-safe switch). Refuses (NON_FINITE) when a parameter is NaN or infinite, so no checkpoint ever
   * holds non-finite weights.
   */
  async saveCheckpoint(directory: string): Promise<void> {
    if (!(await FiniteGuard.allFinite([...this.model.parameters(), ...this.model.buffers()])))
      throw new NntkError(
        'NON_FINITE',
        `Trainer.saveCheckpoint: the model has NaN or infinite parameters or buffers; ${directory} was not written`,
      );
    await saveCheckpoint(
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
    const directory =
      from === 'last' ? lastCheckpointDirectory(this.requireRunDir('resumeFrom: "last"')) : from;
    const found = await findCheckpoint(directory);
    if (!found)
      throw new NntkError(
        'FILE_NOT_FOUND',
        `Trainer: nothing to resume from in ${directory} (no checkpoint was written there); start without resumeFrom to train from scratch`,
      );
    try {
      applyCheckpoint(found.contents, this.model, this.optimizer);
      this.restoreState(found.contents.state, found.contents.directory);
      this.restoreAccumulator(found.contents);
    } finally {
      disposeCheckpoint(found.contents);
    }
    const { state } = found.contents;
    this.resumedFrom = {
      directory: found.contents.directory,
      epoch: state.epoch,
      batch: state.inEpoch?.batch ?? 0,
      skipped: found.skipped,
    };
  }

  private restoreAccumulator(contents: CheckpointContents): void {
    const saved = restoringValue(`gradient accumulator state in ${contents.directory}`, () =>
      checkpointAccumulator(contents),
    );
    if (!saved) {
      this.accumulator?.reset();
      return;
    }
    const accumulator = this.accumulator;
    if (!accumulator)
      throw new NntkError(
        'STATE_DICT_MISMATCH',
        `Trainer: ${contents.directory} holds a partly accumulated gradient window but accumulateGradBatches is 1`,
      );
    restoring(`gradient accumulator state in ${contents.directory}`, () => accumulator.loadStateDict(saved));
  }

  private restoreState(state: CheckpointState, directory: string): void {
    this.epoch = state.epoch;
    this.globalStep = state.globalStep;
    this.history = {
      epochs: state.history.epochs.map((logs) => {
        const out: Logs = {};
        for (const [k, v] of Object.entries(logs)) out[k] = v ?? Number.NaN;
        return out;
      }),
    };
    this.pendingInEpoch = state.inEpoch;
    const owner = (what: string) => `${what} state in ${directory}`;
    restoring(owner('RNG'), () => getRng().setState(state.rng as RngState));
    if (state.loader && this.trainLoader) {
      const loader = this.trainLoader;
      const loaderState = state.loader;
      restoring(owner('data loader'), () => loader.loadStateDict(loaderState));
    }
    const scheduler = this.options.scheduler;
    if (state.scheduler && scheduler)
      restoring(owner('scheduler'), () =>
        scheduler.loadStateDict(state.scheduler as Record<string, unknown>),
      );
    for (const [cb, key] of this.callbackKeys()) {
      const cbState = Object.hasOwn(state.callbacks, key) ? state.callbacks[key] : undefined;
      if (cb.loadStateDict && cbState) restoring(owner(key), () => cb.loadStateDict?.(cbState));
    }
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
