/** Machine-readable error codes used across nntk. */
export type NntkErrorCode =
  | 'INVALID_OPTION'
  | 'SHAPE_MISMATCH'
  | 'BACKEND_NOT_INSTALLED'
  | 'UNKNOWN_BACKEND'
  | 'BACKEND_INIT_FAILED'
  | 'STATE_DICT_MISMATCH'
  | 'CORRUPT_CHECKPOINT'
  | 'UNSUPPORTED_DTYPE'
  | 'NO_GRADIENT'
  | 'FILE_NOT_FOUND'
  | 'CORRUPT_DATA'
  | 'DISPOSED'
  | 'INVALID_CONFIG'
  | 'USAGE'
  | 'UNSUPPORTED'
  | 'NON_FINITE_GRADIENT'
  | 'INTERRUPTED'
  | 'INVALID_JOB'
  | 'QUEUE_UNREACHABLE'
  | 'IO_ERROR'
  | 'NON_FINITE'
  | 'GRADIENT_MISMATCH';

const ERROR_BRAND = Symbol.for('@nntk/core.NntkError');

/**
 * The one error type nntk throws. `code` is stable and machine-readable (a closed union); `message` says
 * what was wrong and what to do about it. Branded with `Symbol.for('@nntk/core.NntkError')`, so
 * `NntkError.isInstance(e)` holds across two copies of `@nntk/core` in one app, where `instanceof`
 * fails (as vercel/ai's errors do).
 */
export class NntkError extends Error {
  readonly code: NntkErrorCode;

  constructor(code: NntkErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'NntkError';
    this.code = code;
    Object.defineProperty(this, ERROR_BRAND, { value: true });
  }

  /** True for an `NntkError` from any copy of `@nntk/core`. */
  static isInstance(error: unknown): error is NntkError {
    return typeof error === 'object' && error !== null && ERROR_BRAND in error;
  }
}

/** Formats a value for an error message: strings quoted, arrays and objects as JSON. */
export function describeValue(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'number' || typeof value === 'boolean' || value == null) return String(value);
  try {
    return JSON.stringify(value);
  } catch {
    return Object.prototype.toString.call(value);
  }
}

/** Throws `INVALID_OPTION` naming the option, the value received and what is allowed. */
export function invalidOption(owner: string, option: string, value: unknown, allowed: string): never {
  throw new NntkError(
    'INVALID_OPTION',
    `${owner}: option '${option}' must be ${allowed}, got ${describeValue(value)}`,
  );
}
