import { Callback, type Logs } from './callback';
import { formatNumber } from './format-number';
import { bar, duration } from './internal/bar';
import { defaultStream, type TextStream } from './internal/default-stream';

function formatLogs(logs: Logs, keys: string[]): string {
  return keys
    .filter((k) => typeof logs[k] === 'number')
    .map((k) => `${k} ${formatNumber(logs[k])}`)
    .join('  ');
}

/**
 * A live progress bar in a terminal (`epoch 2/10 [=====>    ] 45/94  loss 0.5123  1,234 samples/s  ETA 3s`),
 * and one plain line per epoch when the output is not a TTY (CI logs, files).
 */
export class ProgressBar extends Callback {
  override readonly name: string = 'ProgressBar';
  private batches = 0;
  private seen = 0;
  private samples = 0;
  private lossSum = 0;
  private started = 0;
  private readonly stream: TextStream;
  private readonly width: number;

  constructor(options: { stream?: TextStream; totalEpochs?: number; width?: number } = {}) {
    super();
    this.stream = options.stream ?? defaultStream();
    this.totalEpochs = options.totalEpochs;
    this.width = options.width ?? 28;
  }

  totalEpochs?: number;

  private get live(): boolean {
    return Boolean(this.stream.isTTY);
  }

  override onEpochBegin(): void {
    this.batches = this.trainer?.trainLoader?.length ?? 0;
    this.seen = 0;
    this.samples = 0;
    this.lossSum = 0;
    this.started = Date.now();
  }

  override onBatchEnd(_batch: number, logs: Logs): void {
    this.seen += 1;
    this.samples += logs.size ?? 0;
    this.lossSum += (logs.loss ?? 0) * (logs.size ?? 1);
    if (!this.live) return;
    const elapsed = (Date.now() - this.started) / 1000;
    const rate = this.samples / Math.max(elapsed, 1e-9);
    const fraction = this.batches ? Math.min(this.seen / this.batches, 1) : 0;
    const eta = this.batches ? duration((elapsed / this.seen) * (this.batches - this.seen)) : '?';
    const loss = this.lossSum / Math.max(this.samples, 1);
    this.stream.write(
      `\r${this.epochLabel()} [${bar(fraction, this.width)}] ${this.seen}/${this.batches || '?'}  loss ${loss.toFixed(4)}  ${Math.round(rate).toLocaleString('en-US')} samples/s  ETA ${eta}\x1b[K`,
    );
  }

  private epochLabel(): string {
    const epoch = (this.trainer?.epoch ?? 0) + 1;
    return `epoch ${epoch}${this.totalEpochs ? `/${this.totalEpochs}` : ''}`;
  }

  override onEpochEnd(epoch: number, logs: Logs): void {
    const keys = Object.keys(logs).filter(
      (k) => !['epoch', 'seconds', 'samplesPerSecond', 'size'].includes(k),
    );
    const summary = `epoch ${epoch + 1}${this.totalEpochs ? `/${this.totalEpochs}` : ''}  ${formatLogs(logs, keys)}  ${Math.round(logs.samplesPerSecond ?? 0).toLocaleString('en-US')} samples/s  ${duration(logs.seconds ?? 0)}`;
    this.stream.write(this.live ? `\r${summary}\x1b[K\n` : `${summary}\n`);
  }
}
