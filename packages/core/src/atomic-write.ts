import { ioError } from './io-error';

/**
 * Writes a file atomically: the data goes to a temporary file in the same directory, is flushed to disk,
 * then renamed over the target, so a crash leaves either the old file or the new one, never half of one.
 * Missing parent directories are created. A failed write (a full disk, a directory in the way) removes
 * its temporary file and raises an `IO_ERROR` NntkError naming the file and the cause. Node only.
 */
export async function writeFileAtomic(path: string, data: Uint8Array | string): Promise<void> {
  const fs = await import('node:fs/promises');
  const { dirname, basename, join } = await import('node:path');
  const directory = dirname(path);
  const temporary = join(
    directory,
    `.${basename(path)}.${process.pid}.${Date.now()}.${Math.random().toString(36).slice(2)}.tmp`,
  );
  try {
    await fs.mkdir(directory, { recursive: true });
    const handle = await fs.open(temporary, 'w');
    try {
      await handle.writeFile(data);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await fs.rename(temporary, path);
  } catch (error) {
    await fs.rm(temporary, { force: true }).catch(() => undefined);
    throw ioError('writeFileAtomic', path, error, 'write');
  }
}
