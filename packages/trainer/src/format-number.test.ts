import { describe, expect, it } from 'vitest';
import { formatNumber } from './format-number';

describe('formatNumber', () => {
  it('writes small and large magnitudes in scientific notation, the rest with 4 decimals', () => {
    expect(formatNumber(3e-4)).toBe('3.0e-4');
    expect(formatNumber(0.0000017)).toBe('1.7e-6');
    expect(formatNumber(-0.005)).toBe('-5.0e-3');
    expect(formatNumber(0.5123456)).toBe('0.5123');
    expect(formatNumber(123.456)).toBe('123.5');
    expect(formatNumber(250000.5)).toBe('2.5e+5');
  });

  it('keeps whole numbers, zero and non-finite values as they are', () => {
    expect(formatNumber(64)).toBe('64');
    expect(formatNumber(0)).toBe('0');
    expect(formatNumber(Number.NaN)).toBe('NaN');
    expect(formatNumber(Number.POSITIVE_INFINITY)).toBe('Infinity');
  });
});
