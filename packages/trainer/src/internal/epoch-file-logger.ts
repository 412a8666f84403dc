import { writeFileAtomic } from '@nntk/core/node';
import { Callback, type Logs } from '../callback';

/**
 * Keeps every epoch's logs and rewrites `path` atomically after each epoch, so a crash never leaves
 * half a file; subclasses give the file format. The rows are callback state, so a resumed run continues
 * the same file.
 */
export abstract class EpochFileLogger extends Callback {
  protected rows: Logs[] = [];

  constructor(readonly path: string) {
    super();
  }

  protected abstract format(rows: Logs[]): string;

  override async onEpochEnd(_epoch: number, logs: Logs): Promise<void> {
    this.rows.push(logs);
    await writeFileAtomic(this.path, this.format(this.rows));
  }

  override stateDict(): Record<string, unknown> {
    return { rows: this.rows };
  }

  override loadStateDict(state: Record<string, unknown>): void {
    this.rows = (state.rows as Logs[]) ?? [];
  }
}
