import { bar, duration } from './internal/bar';
import { defaultStream } from './internal/default-stream';

/** Where a progress bar writes: `process.stderr`, or anything with `write` (and `isTTY` for a live bar). */
export interface ProgressStream {
  isTTY?: boolean;
  write(text: string): boolean;
}

export interface TaskProgressOptions {
  /** What is running, the start of every line (`lr-find`). */
  label: string;
  /** The number of steps when known. */
  total?: number;
  /** Default `process.stderr` (in a browser, `console.log` line by line). */
  stream?: ProgressStream;
  width?: number;
}

/**
 * A progress bar for work outside `Trainer.fit` (the lr range test, sweeps):
 * `lr-find [=========>        ] 34/60  lr 1.2e-2  loss 0.8123  ETA 12s`, redrawn in place on a TTY; when
 * the output is not a TTY (CI logs, files) one plain line at every tenth of the total.
 */
export class TaskProgress {
  private done = 0;
  private lastTenth = -1;
  private readonly started = Date.now();
  private readonly stream: ProgressStream;
  private readonly width: number;

  constructor(private readonly options: TaskProgressOptions) {
    this.stream = options.stream ?? defaultStream();
    this.width = options.width ?? 28;
  }

  private line(detail: string): string {
    const { label, total } = this.options;
    const elapsed = (Date.now() - this.started) / 1000;
    const eta = total ? duration((elapsed / this.done) * (total - this.done)) : '?';
    const count = `${this.done}/${total ?? '?'}`;
    const head = total ? `${label} [${bar(this.done / total, this.width)}] ${count}` : `${label} ${count}`;
    return `${head}${detail ? `  ${detail}` : ''}  ${this.done < (total ?? 0) ? `ETA ${eta}` : duration(elapsed)}`;
  }

  /** Counts one step done; `detail` is shown after the count (`lr 1.2e-2  loss 0.8123`). */
  tick(detail = ''): void {
    this.done += 1;
    if (this.stream.isTTY) {
      this.stream.write(`\r${this.line(detail)}\x1b[K`);
      return;
    }
    const tenth = this.options.total ? Math.floor((10 * this.done) / this.options.total) : this.done;
    if (tenth !== this.lastTenth) this.stream.write(`${this.line(detail)}\n`);
    this.lastTenth = tenth;
  }

  /** Ends the bar's line (on a TTY), optionally with a closing summary line. */
  finish(summary?: string): void {
    if (this.stream.isTTY && this.done > 0) this.stream.write('\n');
    if (summary) this.stream.write(`${summary}\n`);
  }
}
