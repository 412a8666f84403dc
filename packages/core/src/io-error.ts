import { NntkError } from './errors';

/**
 * Wraps a Node file-system error (`ENOSPC`, `EISDIR`, `EACCES`, ...) in an `IO_ERROR` NntkError that
 * names the operation, the file and the cause, e.g. `saveCheckpoint: cannot write runs/a/model.safetensors:
 * no space left on device (ENOSPC)`.
 */
export function ioError(owner: string, path: string, error: unknown, verb = 'read'): NntkError {
  if (error instanceof NntkError) return error;
  const code = (error as { code?: string })?.code;
  const reason =
    (error as Error)?.message?.replace(/^[A-Z]+: /, '').replace(/, \w+( '.*')?$/, '') ?? String(error);
  const hint =
    code === 'ENOSPC'
      ? '; free some space (or point runDir at another disk) and run again'
      : code === 'EISDIR'
        ? '; give a file, not a directory'
        : '';
  return new NntkError(
    'IO_ERROR',
    `${owner}: cannot ${verb} ${path}: ${reason}${code ? ` (${code})` : ''}${hint}`,
    {
      cause: error,
    },
  );
}
