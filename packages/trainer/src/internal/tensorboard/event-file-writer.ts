import { encodeRecord } from './records';
import { encodeEvent } from './summaries';

let globalUid = 0;

/** A record not yet written: bytes, or a promise of them (PNG images are encoded asynchronously). */
type Pending = Uint8Array | Promise<Uint8Array>;

/**
 * An `events.out.tfevents.<secs>.<host>.<pid>.<uid>` file, as TensorBoard's `EventFileWriter` names and
 * starts it (a first `brain.Event:2` file-version event). Records queue in memory and are appended, in
 * order, by `flush()`. node:fs, node:os and node:path are imported lazily, on the first flush.
 */
export class EventFileWriter {
  private readonly queue: Pending[] = [];
  private path?: string;
  private readonly uid = globalUid++;
  private readonly createdAt: number;
  private writing: Promise<void> = Promise.resolve();

  constructor(
    readonly logDir: string,
    clock: () => number,
    private readonly filenameSuffix = '',
  ) {
    this.createdAt = clock();
    this.queue.push(encodeRecord(encodeEvent(this.createdAt, undefined, { fileVersion: 'brain.Event:2' })));
  }

  add(record: Pending): void {
    this.queue.push(record);
  }

  /** The event file's path (known once `flush()` has run). */
  get filePath(): string | undefined {
    return this.path;
  }

  /** Appends every queued record; flushes run one after another, so records keep their order. */
  flush(): Promise<void> {
    const next = this.writing.then(() => this.writeQueued());
    this.writing = next.catch(() => undefined);
    return next;
  }

  private async writeQueued(): Promise<void> {
    const fs = await import('node:fs/promises');
    if (!this.path) {
      const [{ hostname }, { join }] = await Promise.all([import('node:os'), import('node:path')]);
      const secs = String(Math.floor(this.createdAt)).padStart(10, '0');
      await fs.mkdir(this.logDir, { recursive: true });
      this.path = join(
        this.logDir,
        `events.out.tfevents.${secs}.${hostname()}.${process.pid}.${this.uid}${this.filenameSuffix}`,
      );
    }
    const records = await Promise.all(this.queue.splice(0));
    if (records.length === 0) return;
    const bytes = new Uint8Array(records.reduce((n, r) => n + r.length, 0));
    let offset = 0;
    for (const r of records) {
      bytes.set(r, offset);
      offset += r.length;
    }
    await fs.appendFile(this.path, bytes);
  }
}
