import type { Logs } from './callback';
import { EpochFileLogger } from './internal/epoch-file-logger';

/** Writes the epoch logs as CSV (one column per log key seen so far), rewritten atomically each epoch. */
export class CSVLogger extends EpochFileLogger {
  override readonly name: string = 'CSVLogger';
  protected format(rows: Logs[]): string {
    const columns = [...new Set(rows.flatMap((r) => Object.keys(r)))];
    const lines = [
      columns.join(','),
      ...rows.map((r) => columns.map((c) => (r[c] ?? '').toString()).join(',')),
    ];
    return `${lines.join('\n')}\n`;
  }
}
