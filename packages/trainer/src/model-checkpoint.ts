import { existsSync } from 'node:fs';
import { readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { check, NntkError } from '@nntk/core';
import { Callback, type Logs } from './callback';
import { previousCheckpointDirectory } from './checkpoint';
import { Monitor } from './internal/monitor';

export interface ModelCheckpointOptions {
  dir: string;
  monitor?: string;
  mode?: 'min' | 'max';
  /** Keep the k best checkpoints by the monitored value (0: none, −1: all). Default 1. */
  saveTopK?: number;
  /** Also keep `last/`, updated every epoch. Default true. */
  saveLast?: boolean;
  everyNEpochs?: number;
}

/**
 * Saves full checkpoints (model, optimizer, scheduler, RNG, loader state) as Lightning's `ModelCheckpoint`
 * does: the `saveTopK` best by the monitored value in `epoch-<n>` directories (others deleted), plus `last`.
 */
export class ModelCheckpoint extends Callback {
  override readonly name: string = 'ModelCheckpoint';
  readonly dir: string;
  private readonly monitor: Monitor;
  readonly saveTopK: number;
  readonly saveLast: boolean;
  readonly everyNEpochs: number;
  /** The kept checkpoints, best first. */
  kept: { path: string; value: number; epoch: number }[] = [];

  constructor(options: ModelCheckpointOptions) {
    super();
    this.dir = options.dir;
    this.monitor = new Monitor('ModelCheckpoint', options.monitor ?? 'val_loss', options.mode ?? 'min');
    this.saveTopK = check.integer('ModelCheckpoint', 'saveTopK', options.saveTopK ?? 1, -1);
    this.saveLast = options.saveLast ?? true;
    this.everyNEpochs = check.integer('ModelCheckpoint', 'everyNEpochs', options.everyNEpochs ?? 1, 1);
  }

  /** Removes staging directories half-written by a killed run (see `saveCheckpoint`). */
  override async onTrainBegin(): Promise<void> {
    if (!existsSync(this.dir)) return;
    for (const name of await readdir(this.dir))
      if (name.includes('.staging-')) await rm(join(this.dir, name), { recursive: true, force: true });
  }

  override async onEpochEnd(epoch: number, logs: Logs): Promise<void> {
    const trainer = this.trainer;
    if (!trainer || (epoch + 1) % this.everyNEpochs !== 0) return;
    if (this.saveLast) await trainer.saveCheckpoint(join(this.dir, 'last'));
    if (this.saveTopK === 0) return;
    const value = this.monitor.value('ModelCheckpoint', logs);
    const path = join(this.dir, `epoch-${String(epoch).padStart(4, '0')}`);
    const full = this.saveTopK > 0 && this.kept.length >= this.saveTopK;
    if (full && !this.monitor.isBetter(value, this.kept[this.kept.length - 1].value)) return;
    await trainer.saveCheckpoint(path);
    this.kept.push({ path, value, epoch });
    this.kept.sort((a, b) =>
      this.monitor.isBetter(a.value, b.value)
        ? -1
        : this.monitor.isBetter(b.value, a.value)
          ? 1
          : a.epoch - b.epoch,
    );
    if (this.saveTopK > 0) {
      for (const dropped of this.kept.splice(this.saveTopK))
        for (const path of [dropped.path, previousCheckpointDirectory(dropped.path)])
          await rm(path, { recursive: true, force: true });
    }
  }

  /** The best kept checkpoint directory, if any. */
  get bestPath(): string | undefined {
    return this.kept[0]?.path;
  }

  override stateDict(): Record<string, unknown> {
    return { kept: this.kept };
  }

  override loadStateDict(state: Record<string, unknown>): void {
    const kept = state.kept ?? [];
    const valid =
      Array.isArray(kept) &&
      kept.every(
        (k) =>
          k !== null &&
          typeof k === 'object' &&
          typeof k.path === 'string' &&
          typeof k.value === 'number' &&
          Number.isInteger(k.epoch),
      );
    if (!valid)
      throw new NntkError(
        'CORRUPT_CHECKPOINT',
        `ModelCheckpoint.loadStateDict: expected { kept: [{ path, value, epoch }] }, got ${JSON.stringify(state)}`,
      );
    this.kept = kept;
  }

  /** Lists the checkpoint directories present (for inspection and tests). */
  async list(): Promise<string[]> {
    return (await readdir(this.dir)).sort();
  }
}
