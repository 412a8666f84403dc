import { describe, expect, it } from 'vitest';
import { NntkError } from './errors';

describe('NntkError', () => {
  it('is recognised by brand across copies of @nntk/core', () => {
    const own = new NntkError('INVALID_OPTION', 'bad');
    // A second copy of core defines its own class; its errors carry the same global brand.
    const brand = Symbol.for('@nntk/core.NntkError');
    class OtherCopy extends Error {
      readonly code = 'INVALID_OPTION';
      readonly [brand] = true;
    }
    const foreign = new OtherCopy('bad');
    expect(NntkError.isInstance(own)).toBe(true);
    expect(NntkError.isInstance(foreign)).toBe(true);
    expect(own instanceof Error).toBe(true);
  });

  it('rejects plain errors and non-objects', () => {
    for (const value of [new Error('x'), new TypeError('x'), null, undefined, 'NntkError', { code: 'USAGE' }])
      expect(NntkError.isInstance(value)).toBe(false);
  });

  it('has a stable name, code and cause', () => {
    const cause = new Error('disk');
    const error = new NntkError('FILE_NOT_FOUND', 'missing', { cause });
    expect(error.name).toBe('NntkError');
    expect(error.code).toBe('FILE_NOT_FOUND');
    expect(error.cause).toBe(cause);
  });
});
