import { existsSync } from 'node:fs';
import { appendFile, readFile } from 'node:fs/promises';
import { writeFileAtomic } from '@nntk/core/node';
import { Callback, type Logs } from './callback';

/** One training step as `steps.jsonl` records it (`epoch` counts from 0, as in `metrics.jsonl`). */
export interface StepRecord {
  step: number;
  epoch: number;
  loss: number;
  lr: number;
}

/**
 * Records every training step's loss and learning rate and appends them to `path` (JSON Lines, one
 * step a line) at the end of each epoch, so the report can draw per-step curves (a OneCycle schedule's
 * shape). The Trainer adds one writing `<runDir>/steps.jsonl` when it has a run directory. A fresh run
 * starts the file empty; a resumed run drops the lines past the checkpoint's step and continues it.
 */
export class StepLogger extends Callback {
  override readonly name: string = 'StepLogger';
  private pending: StepRecord[] = [];
  private lr = Number.NaN;

  constructor(readonly path: string) {
    super();
  }

  override async onTrainBegin(): Promise<void> {
    const step = this.trainer?.globalStep ?? 0;
    this.pending = [];
    if (step === 0 || !existsSync(this.path)) {
      await writeFileAtomic(this.path, '');
      return;
    }
    const kept = (await readFile(this.path, 'utf8'))
      .split('\n')
      .filter((line) => line.trim() && (JSON.parse(line) as StepRecord).step <= step);
    await writeFileAtomic(this.path, kept.map((line) => `${line}\n`).join(''));
  }

  /** The rate this step trains with (the batch-end log has the next step's, after a per-step scheduler). */
  override onBatchBegin(): void {
    const optimizer = this.trainer?.optimizer;
    this.lr = optimizer ? Number(optimizer.currentLr(optimizer.paramGroups[0])) : Number.NaN;
  }

  override onBatchEnd(_batch: number, logs: Logs): void {
    this.pending.push({
      step: this.trainer?.globalStep ?? this.pending.length + 1,
      epoch: this.trainer?.epoch ?? 0,
      loss: logs.loss,
      lr: Number.isFinite(this.lr) ? this.lr : logs.lr,
    });
  }

  override async onEpochEnd(): Promise<void> {
    if (this.pending.length === 0) return;
    await appendFile(this.path, this.pending.map((r) => `${JSON.stringify(r)}\n`).join(''));
    this.pending = [];
  }
}
