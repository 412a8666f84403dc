import { writeFileAtomic } from '@nntk/core';
import { Callback, type Logs } from './callback';

/** Writes one JSON object per epoch (JSON Lines), rewritten atomically each epoch. */
export class JSONLLogger extends Callback {
  private rows: Logs[] = [];

  constructor(readonly path: string) {
    super();
  }

  override async onEpochEnd(_epoch: number, logs: Logs): Promise<void> {
    this.rows.push(logs);
    await writeFileAtomic(this.path, `${this.rows.map((r) => JSON.stringify(r)).join('\n')}\n`);
  }

  override stateDict(): Record<string, unknown> {
    return { rows: this.rows };
  }

  override loadStateDict(state: Record<string, unknown>): void {
    this.rows = (state.rows as Logs[]) ?? [];
  }
}
