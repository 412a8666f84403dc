import { check, checkOptionNames, type Module, NntkError, type RemovableHandle } from '@nntk/core';
import * as tf from '@tensorflow/tfjs-core';
import { Callback } from './callback';
import {
  activationSummary,
  histogramOf,
  SUMMARY_HEAD,
  tensorSummary,
  updateRatio,
} from './internal/diagnostics-stats';
import { type FilterImage, filterGrid, filterPixels } from './internal/filter-grid';

import type { HistogramData } from './internal/tensorboard/histogram';

export type { FilterImage, HistogramData };

/** One parameter at a logging step. */
export interface ParameterDiagnostics {
  /** Dotted name, as in `model.namedParameters()` (`layers.0.weight`). */
  name: string;
  shape: number[];
  /** ||w||₂ after the step. */
  weightNorm: number;
  /** ||g||₂ of the step's gradient (before clipping). */
  gradNorm: number;
  /** ||w_after − w_before||₂ / ||w_before||₂ of the step (the update-to-weight ratio, ~1e-3 is healthy). */
  updateRatio: number;
  weightHistogram: HistogramData;
  gradHistogram: HistogramData;
}

/** One module's output at a logging step. */
export interface ActivationDiagnostics {
  /** Dotted module name (`layers.1`), `model` for the root. */
  name: string;
  mean: number;
  /** Population standard deviation. */
  std: number;
  /** Fraction of exactly zero outputs (dead ReLUs). */
  fractionZero: number;
}

/** What `TrainingDiagnostics` measures every `everyNSteps` steps. */
export interface DiagnosticsRecord {
  step: number;
  epoch: number;
  parameters: ParameterDiagnostics[];
  activations: ActivationDiagnostics[];
  /** The first 4-d parameter's filters as an image (the first conv layer), when `filters` is on. */
  filters?: FilterImage;
}

export interface TrainingDiagnosticsOptions {
  /**
   * Measure every this many training steps (batches: `trainer.globalStep`). Default 100 (under 5% overhead
   * on the bench MLP, see the README). With `accumulateGradBatches`, a logging step that applies no
   * optimizer step has an update ratio of 0.
   */
  everyNSteps?: number;
  /** Histogram bins. Default 30. */
  bins?: number;
  /** Activation statistics of every leaf module via forward hooks. Default true. */
  activations?: boolean;
  /** The first conv layer's filters as an image. Default true. */
  filters?: boolean;
  /** Append records to `<runDir>/diagnostics/records.jsonl` and write `filters.png` there. Default true (needs a runDir). */
  write?: boolean;
}

const KNOWN = ['everyNSteps', 'bins', 'activations', 'filters', 'write'] as const;

interface Pending {
  step: number;
  stats: tf.Tensor1D[];
  gradNorms: { name: string; param: tf.Variable; before: tf.Tensor; grad: tf.Tensor1D }[];
  activations: { name: string; stats: tf.Tensor1D }[];
}

/**
 * Training diagnostics, as people log them to TensorBoard or W&B: per-parameter weight and gradient
 * histograms and norms, update-to-weight ratios ||Δw||/||w|| (Karpathy's ~1e-3 rule of thumb),
 * activation mean/std/fraction of zeros of every leaf module via forward hooks
 * (`Module.registerForwardHook`), and the first conv layer's filters as an image, every `everyNSteps`.
 *
 * Every reduction runs on the device; the numbers of a logging step come back in one `await data()` at
 * its end, and nothing is computed on the other steps. Records go to `subscribe()`rs (a
 * `TensorBoardLogger` given `diagnostics`), `latest`, and `<runDir>/diagnostics/` (read by `writeReport`).
 */
export class TrainingDiagnostics extends Callback {
  override readonly name: string = 'TrainingDiagnostics';
  readonly everyNSteps: number;
  readonly bins: number;
  private readonly options: TrainingDiagnosticsOptions;
  private readonly listeners = new Set<(record: DiagnosticsRecord) => void>();
  private hooks: RemovableHandle[] = [];
  private pending?: Pending;
  /** The last record measured. */
  latest?: DiagnosticsRecord;

  constructor(options: TrainingDiagnosticsOptions = {}) {
    super();
    checkOptionNames('TrainingDiagnostics', options, KNOWN);
    this.options = options;
    this.everyNSteps = check.integer('TrainingDiagnostics', 'everyNSteps', options.everyNSteps ?? 100, 1);
    this.bins = check.integer('TrainingDiagnostics', 'bins', options.bins ?? 30, 1);
    for (const key of ['activations', 'filters', 'write'] as const)
      if (options[key] !== undefined) check.boolean('TrainingDiagnostics', key, options[key]);
  }

  /** Calls `listener` with every new record; returns the unsubscribe function. */
  subscribe(listener: (record: DiagnosticsRecord) => void): () => void {
    this.listeners.add(listener);
    return () => void this.listeners.delete(listener);
  }

  private get model(): Module {
    if (!this.trainer)
      throw new NntkError('INVALID_OPTION', "TrainingDiagnostics: pass it in a Trainer's 'callbacks' option");
    return this.trainer.model;
  }

  override onTrainBegin(): void {
    this.removeHooks();
    if (this.options.activations === false) return;
    for (const [name, module] of this.model.namedModules()) {
      if (module.children().length > 0) continue;
      const label = name || 'model';
      this.hooks.push(
        module.registerForwardHook((_m, _inputs, output) => {
          if (this.pending && output instanceof tf.Tensor && output.dtype === 'float32')
            this.pending.activations.push({ name: label, stats: tf.keep(activationSummary(output)) });
        }),
      );
    }
  }

  override onBatchBegin(): void {
    const step = (this.trainer?.globalStep ?? 0) + 1;
    if (step % this.everyNSteps === 0) this.pending = { step, stats: [], gradNorms: [], activations: [] };
  }

  override onAfterBackward(grads: Map<tf.Variable, tf.Tensor>): void {
    const pending = this.pending;
    if (!pending || pending.gradNorms.length > 0) return;
    for (const [name, param] of this.model.namedParameters()) {
      const grad = grads.get(param);
      if (!grad) continue;
      // A copy in its own memory: tf.clone shares the variable's buffer, which fused optimizers (nntk's
      // wasm Adam/SGD) update in place.
      pending.gradNorms.push({ name, param, before: tf.mul(param, 1), grad: tensorSummary(grad, this.bins) });
    }
  }

  override async onBatchEnd(): Promise<void> {
    const pending = this.pending;
    if (!pending) return;
    this.pending = undefined;
    const filterParam =
      this.options.filters === false ? undefined : this.model.namedParameters().find(([, p]) => p.rank === 4);
    const parts = pending.gradNorms.flatMap((g) => [
      tensorSummary(g.param, this.bins),
      g.grad,
      tf.tidy(() => tf.reshape(updateRatio(g.before, g.param), [1]) as tf.Tensor1D),
    ]);
    const filters = filterParam ? filterPixels(filterParam[1] as tf.Tensor4D) : undefined;
    const all = [
      ...parts,
      ...pending.activations.map((a) => a.stats),
      ...(filters ? [tf.reshape(filters, [-1])] : []),
    ];
    const flat = all.length ? tf.concat(all) : undefined;
    tf.dispose([...all, ...pending.gradNorms.map((g) => g.before), filters as tf.Tensor]);
    if (!flat) return;
    const values = await flat.data();
    flat.dispose();
    const record = this.decode(pending, values, filterParam?.[0], filters?.shape);
    this.latest = record;
    for (const listener of this.listeners) listener(record);
    if (this.options.write !== false && this.trainer?.runDir) await this.persist(this.trainer.runDir, record);
  }

  private decode(
    pending: Pending,
    values: ArrayLike<number>,
    filterName?: string,
    filterShape?: number[],
  ): DiagnosticsRecord {
    const width = SUMMARY_HEAD + this.bins;
    let offset = 0;
    const parameters = pending.gradNorms.map(({ name, param }) => {
      const weightHistogram = histogramOf(values, offset, this.bins, param.size);
      const gradHistogram = histogramOf(values, offset + width, this.bins, param.size);
      const ratio = values[offset + 2 * width];
      offset += 2 * width + 1;
      return {
        name,
        shape: param.shape,
        weightNorm: Math.sqrt(weightHistogram.sumSquares),
        gradNorm: Math.sqrt(gradHistogram.sumSquares),
        updateRatio: ratio,
        weightHistogram,
        gradHistogram,
      };
    });
    const activations = pending.activations.map(({ name }) => {
      const [mean, std, fractionZero] = [0, 1, 2].map((i) => values[offset + i]);
      offset += 3;
      return { name, mean, std, fractionZero };
    });
    const record: DiagnosticsRecord = {
      step: pending.step,
      epoch: this.trainer?.epoch ?? 0,
      parameters,
      activations,
    };
    if (filterName && filterShape)
      record.filters = filterGrid(
        filterName,
        Array.from(values).slice(offset),
        filterShape as [number, number, number, number],
      );
    return record;
  }

  private async persist(runDir: string, record: DiagnosticsRecord): Promise<void> {
    const [{ appendFile, mkdir, writeFile }, { join }] = await Promise.all([
      import('node:fs/promises'),
      import('node:path'),
    ]);
    const dir = join(runDir, 'diagnostics');
    await mkdir(dir, { recursive: true });
    const { filters, ...rest } = record;
    const line = filters
      ? { ...rest, filters: { ...filters, pixels: undefined, file: 'filters.png' } }
      : rest;
    await appendFile(join(dir, 'records.jsonl'), `${JSON.stringify(line)}\n`);
    if (filters) {
      const { encodePng } = await import('./internal/tensorboard/png');
      await writeFile(
        join(dir, 'filters.png'),
        await encodePng(filters.pixels, filters.width, filters.height, filters.channels),
      );
    }
  }

  private removeHooks(): void {
    for (const h of this.hooks) h.remove();
    this.hooks = [];
  }

  override onTrainEnd(): void {
    this.removeHooks();
    if (this.pending) {
      tf.dispose([
        ...this.pending.gradNorms.flatMap((g) => [g.before, g.grad]),
        ...this.pending.activations.map((a) => a.stats),
      ]);
      this.pending = undefined;
    }
  }
}
