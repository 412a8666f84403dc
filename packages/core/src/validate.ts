import { invalidOption } from './errors';

/** Small validators for options objects; each throws an `INVALID_OPTION` NntkError naming the option. */
export const check = {
  number(owner: string, option: string, value: unknown): number {
    if (typeof value !== 'number' || Number.isNaN(value)) invalidOption(owner, option, value, 'a number');
    return value;
  },
  nonNegative(owner: string, option: string, value: unknown): number {
    if (typeof value !== 'number' || !(value >= 0) || !Number.isFinite(value))
      invalidOption(owner, option, value, 'a finite number >= 0');
    return value;
  },
  positive(owner: string, option: string, value: unknown): number {
    if (typeof value !== 'number' || !(value > 0) || !Number.isFinite(value))
      invalidOption(owner, option, value, 'a finite number > 0');
    return value;
  },
  integer(owner: string, option: string, value: unknown, min = 0): number {
    if (typeof value !== 'number' || !Number.isInteger(value) || value < min)
      invalidOption(owner, option, value, `an integer >= ${min}`);
    return value;
  },
  inRange(
    owner: string,
    option: string,
    value: unknown,
    low: number,
    high: number,
    closedHigh = false,
  ): number {
    const ok = typeof value === 'number' && value >= low && (closedHigh ? value <= high : value < high);
    if (!ok) invalidOption(owner, option, value, `a number in [${low}, ${high}${closedHigh ? ']' : ')'}`);
    return value as number;
  },
  oneOf<T extends string>(owner: string, option: string, value: unknown, allowed: readonly T[]): T {
    if (!allowed.includes(value as T))
      invalidOption(owner, option, value, `one of ${allowed.map((a) => `'${a}'`).join(', ')}`);
    return value as T;
  },
  boolean(owner: string, option: string, value: unknown): boolean {
    if (typeof value !== 'boolean') invalidOption(owner, option, value, 'true or false');
    return value;
  },
};
