import { describe, expect, it } from 'vitest';
import { NntkError } from './errors';
import { checkOptions, closestName } from './validate';

describe('closestName', () => {
  it("matches PyTorch's snake_case and case slips first, then the nearest typo", () => {
    const names = ['stride', 'padding', 'ceilMode', 'countIncludePad'];
    expect(closestName('ceil_mode', names)).toBe('ceilMode');
    expect(closestName('count_include_pad', names)).toBe('countIncludePad');
    expect(closestName('ceilmod', names)).toBe('ceilMode');
    expect(closestName('strides', names)).toBe('stride');
    expect(closestName('momentum', names)).toBeUndefined();
  });
});

describe('checkOptions', () => {
  interface PoolOptions {
    stride?: number;
    ceilMode?: boolean;
  }
  const known = { stride: true, ceilMode: true } as const;

  it('passes known names (and undefined) through', () => {
    const options: PoolOptions = { stride: 2 };
    expect(checkOptions<PoolOptions>('Pool', options, known)).toBe(options);
    expect(checkOptions<PoolOptions>('Pool', undefined, known)).toEqual({});
  });

  it('rejects an unknown name with a suggestion and the known names', () => {
    const typo = { stride: 2, ceil_mode: true } as PoolOptions;
    expect(() => checkOptions<PoolOptions>('Pool', typo, known)).toThrow(NntkError);
    expect(() => checkOptions<PoolOptions>('Pool', typo, known)).toThrow(
      "Pool: unknown option 'ceil_mode'. Did you mean 'ceilMode'? Known options: 'stride', 'ceilMode'.",
    );
    const far = { zzz: 1 } as PoolOptions;
    expect(() => checkOptions<PoolOptions>('Pool', far, known)).toThrow(
      /unknown option 'zzz'\. Known options/,
    );
  });

  it('rejects options that are not an object', () => {
    expect(() => checkOptions<PoolOptions>('Pool', [] as PoolOptions, known)).toThrow(/must be an object/);
  });
});
