import { writeFileAtomic } from '@nntk/core';
import { Callback, type Logs } from './callback';

/** Writes the epoch logs as CSV (rewritten atomically each epoch, so a crash never leaves half a file). */
export class CSVLogger extends Callback {
  private rows: Logs[] = [];

  constructor(readonly path: string) {
    super();
  }

  override async onEpochEnd(_epoch: number, logs: Logs): Promise<void> {
    this.rows.push(logs);
    const columns = [...new Set(this.rows.flatMap((r) => Object.keys(r)))];
    const lines = [
      columns.join(','),
      ...this.rows.map((r) => columns.map((c) => (r[c] ?? '').toString()).join(',')),
    ];
    await writeFileAtomic(this.path, `${lines.join('\n')}\n`);
  }

  override stateDict(): Record<string, unknown> {
    return { rows: this.rows };
  }

  override loadStateDict(state: Record<string, unknown>): void {
    this.rows = (state.rows as Logs[]) ?? [];
  }
}
