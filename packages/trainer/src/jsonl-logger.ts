import type { Logs } from './callback';
import { EpochFileLogger } from './internal/epoch-file-logger';

/** Writes one JSON object per epoch (JSON Lines), rewritten atomically each epoch. */
export class JSONLLogger extends EpochFileLogger {
  override readonly name: string = 'JSONLLogger';
  protected format(rows: Logs[]): string {
    return `${rows.map((r) => JSON.stringify(r)).join('\n')}\n`;
  }
}
