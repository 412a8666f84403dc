import { check, checkOptionNames, NntkError } from '@nntk/core';
import { Callback, type Logs } from './callback';

import { EventFileWriter } from './internal/tensorboard/event-file-writer';
import { type HistogramData, makeHistogram } from './internal/tensorboard/histogram';
import { encodeRecord } from './internal/tensorboard/records';
import {
  encodeEvent,
  type HParamValue,
  histogramValue,
  hparamsValues,
  imageValue,
  scalarValue,
  textValue,
} from './internal/tensorboard/summaries';
import type { DiagnosticsRecord, TrainingDiagnostics } from './training-diagnostics';

export type { HistogramData, HParamValue };

/** Pixels for `addImage`: uint8 values are taken as they are, float ones are scaled by 255 (PyTorch's rule). */
export interface ImageData {
  data: Uint8Array | Float32Array | Float64Array | number[];
  shape: number[];
}

export interface TensorBoardLoggerOptions {
  /** Where the event file goes. Default: the trainer's `runDir`. */
  logDir?: string;
  /** Batch loss and learning rate every this many steps (`batch/loss`, `batch/lr`). Default 50; 0 turns it off. */
  logEveryNSteps?: number;
  /** Hyperparameters of this run for the hparams plugin, written with the final metrics at the end of training. */
  hparams?: Record<string, HParamValue>;
  /** The values each hyperparameter can take (the hparams plugin's discrete domains). */
  hparamDomainDiscrete?: Record<string, HParamValue[]>;
  /** Epoch-log keys shown as hparams metrics. Default: the last epoch's losses and metrics (not lr, epoch, timings). */
  hparamMetrics?: string[];
  /** A `TrainingDiagnostics` callback whose records (histograms, norms, filters) are logged too. */
  diagnostics?: TrainingDiagnostics;
  /** Appended to the event file name, as `SummaryWriter`'s `filename_suffix`. */
  filenameSuffix?: string;
  /** Seconds since the epoch for wall times. Default `Date.now() / 1000`. */
  clock?: () => number;
}

const KNOWN = [
  'logDir',
  'logEveryNSteps',
  'hparams',
  'hparamDomainDiscrete',
  'hparamMetrics',
  'diagnostics',
  'filenameSuffix',
  'clock',
] as const;

interface AddOptions {
  /** Seconds since the epoch; default the logger's clock. */
  walltime?: number;
}

function toHwc(
  owner: string,
  image: ImageData,
  dataformats: 'CHW' | 'HWC' | 'HW',
): { pixels: Uint8Array; h: number; w: number; c: number } {
  const { data, shape } = image;
  if (shape.length !== dataformats.length || shape.reduce((a, b) => a * b, 1) !== data.length)
    throw new NntkError(
      'SHAPE_MISMATCH',
      `${owner}: shape [${shape}] does not fit ${data.length} values in '${dataformats}' layout`,
    );
  const scale = data instanceof Uint8Array ? 1 : 255;
  const [h, w, c] =
    dataformats === 'HW'
      ? [shape[0], shape[1], 1]
      : dataformats === 'HWC'
        ? [shape[0], shape[1], shape[2]]
        : [shape[1], shape[2], shape[0]];
  if (![1, 3, 4].includes(c))
    throw new NntkError('SHAPE_MISMATCH', `${owner}: images need 1, 3 or 4 channels, got ${c}`);
  const out = c === 1 ? 3 : c;
  const pixels = new Uint8Array(h * w * out);
  for (let y = 0; y < h; y++)
    for (let x = 0; x < w; x++)
      for (let k = 0; k < out; k++) {
        const ch = c === 1 ? 0 : k;
        const index = dataformats === 'CHW' ? (ch * h + y) * w + x : (y * w + x) * c + ch;
        const v = Math.trunc(Math.fround(Math.fround(data[index]) * scale));
        pixels[(y * w + x) * out + k] = Math.min(255, Math.max(0, v));
      }
  return { pixels, h, w, c: out };
}

/**
 * Writes TensorBoard event files, so `tensorboard --logdir runs` shows nntk runs next to PyTorch ones:
 * the API of PyTorch's `torch.utils.tensorboard.SummaryWriter` (`addScalar`, `addHistogram`,
 * `addHistogramRaw`, `addImage`, `addText`, `addHparams`, `flush`, `close`) and, as a trainer callback,
 * batch loss/lr every `logEveryNSteps`, every epoch log as `epoch/<key>`, the records of a
 * `TrainingDiagnostics` callback, and the hparams plugin's session at the end of training.
 *
 * Records are TFRecord-framed `Event` protobufs (uint64 length, masked CRC-32C of it, data, masked
 * CRC-32C of the data); they queue in memory and are appended on `flush()` (each epoch, and at the end).
 * Node only: the file writing is imported lazily.
 */
export class TensorBoardLogger extends Callback {
  override readonly name: string = 'TensorBoardLogger';
  private writer?: EventFileWriter;
  private readonly options: TensorBoardLoggerOptions;
  private readonly clock: () => number;
  private readonly every: number;
  private unsubscribe?: () => void;

  constructor(options: TensorBoardLoggerOptions = {}) {
    super();
    checkOptionNames('TensorBoardLogger', options, KNOWN);
    this.options = options;
    this.every = check.integer('TensorBoardLogger', 'logEveryNSteps', options.logEveryNSteps ?? 50, 0);
    this.clock = options.clock ?? (() => Date.now() / 1000);
    if (options.hparams) hparamsValues(options.hparams, [], options.hparamDomainDiscrete);
    if (options.logDir !== undefined)
      this.writer = new EventFileWriter(options.logDir, this.clock, options.filenameSuffix);
  }

  /** The directory of the event file. */
  get logDir(): string | undefined {
    return this.writer?.logDir;
  }

  /** The event file's path, once something has been flushed. */
  get filePath(): string | undefined {
    return this.writer?.filePath;
  }

  private file(owner: string): EventFileWriter {
    if (!this.writer) {
      const dir = this.trainer?.runDir;
      if (!dir)
        throw new NntkError(
          'INVALID_OPTION',
          `TensorBoardLogger.${owner}: give 'logDir', or a Trainer with a 'runDir'`,
        );
      this.writer = new EventFileWriter(dir, this.clock, this.options.filenameSuffix);
    }
    return this.writer;
  }

  private add(
    owner: string,
    step: number | undefined,
    summary: Parameters<typeof encodeEvent>[2],
    at?: AddOptions,
  ): void {
    if (step !== undefined) check.integer(`TensorBoardLogger.${owner}`, 'globalStep', step, 0);
    const walltime = at?.walltime ?? this.clock();
    this.file(owner).add(encodeRecord(encodeEvent(walltime, step, summary)));
  }

  /** A scalar (`add_scalar`), stored as float32 `simple_value`. */
  addScalar(tag: string, value: number, globalStep?: number, options?: AddOptions): void {
    check.number('TensorBoardLogger.addScalar', 'value', value);
    this.add('addScalar', globalStep, { summary: scalarValue(tag, value) }, options);
  }

  /**
   * A histogram of `values` (`add_histogram`): `bins` 'tensorflow' (TensorBoard's default exponential
   * edges) or a number of equal bins between the minimum and the maximum, counted as NumPy does.
   */
  addHistogram(
    tag: string,
    values: ArrayLike<number>,
    globalStep?: number,
    options: AddOptions & { bins?: 'tensorflow' | number } = {},
  ): void {
    const bins = options.bins ?? 'tensorflow';
    if (bins !== 'tensorflow') check.integer('TensorBoardLogger.addHistogram', 'bins', bins, 1);
    this.add(
      'addHistogram',
      globalStep,
      { summary: histogramValue(tag, makeHistogram(values, bins)) },
      options,
    );
  }

  /** A histogram already counted (`add_histogram_raw`): `bucketLimits` are the buckets' right edges. */
  addHistogramRaw(tag: string, histogram: HistogramData, globalStep?: number, options?: AddOptions): void {
    if (histogram.bucketLimits.length !== histogram.bucketCounts.length)
      throw new NntkError(
        'SHAPE_MISMATCH',
        'TensorBoardLogger.addHistogramRaw: bucketLimits and bucketCounts differ in length',
      );
    this.add('addHistogramRaw', globalStep, { summary: histogramValue(tag, histogram) }, options);
  }

  /**
   * An image (`add_image`) in `dataformats` 'CHW' (default, as PyTorch), 'HWC' or 'HW'; grey images are
   * stored as RGB, as PyTorch does. Float values in [0, 1] are scaled by 255 and truncated.
   */
  addImage(
    tag: string,
    image: ImageData,
    globalStep?: number,
    options: AddOptions & { dataformats?: 'CHW' | 'HWC' | 'HW' } = {},
  ): void {
    const format = check.oneOf('TensorBoardLogger.addImage', 'dataformats', options.dataformats ?? 'CHW', [
      'CHW',
      'HWC',
      'HW',
    ]);
    const { pixels, h, w, c } = toHwc('TensorBoardLogger.addImage', image, format);
    if (globalStep !== undefined) check.integer('TensorBoardLogger.addImage', 'globalStep', globalStep, 0);
    const walltime = options.walltime ?? this.clock();
    const file = this.file('addImage');
    file.add(
      import('./internal/tensorboard/png').then(async ({ encodePng }) =>
        encodeRecord(
          encodeEvent(walltime, globalStep, {
            summary: imageValue(tag, await encodePng(pixels, w, h, c), h, w, c),
          }),
        ),
      ),
    );
  }

  /** Text (`add_text`), shown as Markdown by TensorBoard's text plugin. */
  addText(tag: string, text: string, globalStep?: number, options?: AddOptions): void {
    this.add('addText', globalStep, { summary: textValue(tag, text) }, options);
  }

  /**
   * Hyperparameters and their metrics for the hparams plugin (`add_hparams`): as PyTorch, into a
   * sub-run `runName` (default the current time) with its own event file holding the experiment,
   * session-start and session-end summaries and one scalar per metric. Booleans are written as booleans
   * (PyTorch 1.13 writes them as numbers: its integer check catches `bool` first).
   */
  async addHparams(
    hparams: Record<string, HParamValue>,
    metrics: Record<string, number>,
    options: { domainDiscrete?: Record<string, HParamValue[]>; runName?: string } = {},
  ): Promise<void> {
    const { join } = await import('node:path');
    const parent = this.file('addHparams');
    const run = new EventFileWriter(join(parent.logDir, options.runName || String(this.clock())), this.clock);
    this.writeSession(run, hparams, metrics, options.domainDiscrete);
    await Promise.all([parent.flush(), run.flush()]);
  }

  private writeSession(
    file: EventFileWriter,
    hparams: Record<string, HParamValue>,
    metrics: Record<string, number>,
    domain?: Record<string, HParamValue[]>,
  ): void {
    const values = hparamsValues(hparams, Object.keys(metrics), domain);
    for (const summary of [values.experiment, values.sessionStart, values.sessionEnd])
      file.add(encodeRecord(encodeEvent(this.clock(), undefined, { summary })));
    for (const [tag, value] of Object.entries(metrics))
      file.add(encodeRecord(encodeEvent(this.clock(), undefined, { summary: scalarValue(tag, value) })));
  }

  /** Writes everything queued to the event file. */
  async flush(): Promise<void> {
    await this.writer?.flush();
  }

  /** Flushes; the logger stays usable (later records are appended to the same file). */
  async close(): Promise<void> {
    this.unsubscribe?.();
    this.unsubscribe = undefined;
    await this.flush();
  }

  private logDiagnostics(record: DiagnosticsRecord): void {
    const step = record.step;
    for (const p of record.parameters) {
      this.addScalar(`norm/${p.name}`, p.weightNorm, step);
      this.addScalar(`grad_norm/${p.name}`, p.gradNorm, step);
      if (p.updateRatio !== undefined) this.addScalar(`update_ratio/${p.name}`, p.updateRatio, step);
      this.addHistogramRaw(`weights/${p.name}`, p.weightHistogram, step);
      this.addHistogramRaw(`grads/${p.name}`, p.gradHistogram, step);
    }
    for (const a of record.activations) {
      this.addScalar(`activation_mean/${a.name}`, a.mean, step);
      this.addScalar(`activation_std/${a.name}`, a.std, step);
      this.addScalar(`activation_zeros/${a.name}`, a.fractionZero, step);
    }
    if (record.filters) {
      const f = record.filters;
      this.addImage(`filters/${f.name}`, { data: f.pixels, shape: [f.height, f.width, f.channels] }, step, {
        dataformats: 'HWC',
      });
    }
  }

  override onTrainBegin(): void {
    this.file('onTrainBegin');
    this.unsubscribe?.();
    this.unsubscribe = this.options.diagnostics?.subscribe((record) => this.logDiagnostics(record));
  }

  override onBatchEnd(_batch: number, logs: Logs): void {
    const step = this.trainer?.globalStep ?? 0;
    if (this.every === 0 || step % this.every !== 0) return;
    this.addScalar('batch/loss', logs.loss, step);
    if (logs.lr !== undefined) this.addScalar('batch/lr', logs.lr, step);
  }

  override async onEpochEnd(epoch: number, logs: Logs): Promise<void> {
    for (const [key, value] of Object.entries(logs))
      if (key !== 'epoch' && Number.isFinite(value)) this.addScalar(`epoch/${key}`, value, epoch);
    await this.flush();
  }

  override async onTrainEnd(logs: Logs): Promise<void> {
    if (this.options.hparams) {
      const keys =
        this.options.hparamMetrics ??
        Object.keys(logs).filter((k) => !['epoch', 'lr', 'seconds', 'samplesPerSecond'].includes(k));
      const missing = keys.filter((k) => !(k in logs));
      if (missing.length)
        throw new NntkError(
          'INVALID_OPTION',
          `TensorBoardLogger: hparamMetrics ${missing.join(', ')} not among the last epoch's logs (${Object.keys(logs).join(', ')})`,
        );
      const metrics = Object.fromEntries(keys.map((k) => [`hparam/${k}`, logs[k]]));
      this.writeSession(
        this.file('onTrainEnd'),
        this.options.hparams,
        metrics,
        this.options.hparamDomainDiscrete,
      );
    }
    await this.close();
  }
}
