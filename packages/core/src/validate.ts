import { describeValue, invalidOption, NntkError } from './errors';

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

/** Levenshtein distance between two strings (insertions, deletions and substitutions each cost 1). */
/**
 * Edit distance with insertions, deletions, substitutions and swaps of two neighbouring letters (optimal
 * string alignment): `trian` is one edit from `train`.
 */
export function editDistance(a: string, b: string): number {
  const d = Array.from({ length: a.length + 1 }, (_, i) =>
    Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)),
  );
  for (let i = 1; i <= a.length; i++)
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1])
        d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
    }
  return d[a.length][b.length];
}

/** Lower case without `_` or `-`, so PyTorch's `ceil_mode` and `CeilMode` meet nntk's `ceilMode`. */
function normalizedName(name: string): string {
  return name.toLowerCase().replace(/[_-]/g, '');
}

/**
 * The candidate `name` was most likely meant to be: one equal up to case and `_`/`-` (PyTorch's snake_case
 * names), else the nearest by edit distance within a third of the name's length (at least 2); undefined
 * when none is that close.
 */
export function closestName(name: string, candidates: readonly string[]): string | undefined {
  const normalized = normalizedName(name);
  const same = candidates.find((c) => normalizedName(c) === normalized);
  if (same !== undefined) return same;
  let best: string | undefined;
  let bestDistance = Math.max(2, Math.floor(name.length / 3)) + 1;
  for (const candidate of candidates) {
    const distance = editDistance(normalized, normalizedName(candidate));
    if (distance < bestDistance) [best, bestDistance] = [candidate, distance];
  }
  return best;
}

/** Every option name of `T`, each marked `true`: a compile-time exhaustive list of the known names. */
export type OptionNames<T> = { readonly [K in keyof Required<T>]: true };

/**
 * Rejects an options object holding a name the owner does not take (a typo would otherwise be silently
 * ignored): an `INVALID_OPTION` NntkError with "did you mean" and the known names. `known` lists every
 * option of `T` (the compiler checks the list is complete). Returns the options.
 */
export function checkOptions<T extends object>(
  owner: string,
  options: T | undefined,
  known: OptionNames<T>,
): T {
  checkOptionNames(owner, options, Object.keys(known));
  return options ?? ({} as T);
}

/**
 * {@link checkOptions} with the known names as a list (for options checked where no type lists them,
 * such as a forward call's options).
 */
export function checkOptionNames(owner: string, options: unknown, names: readonly string[]): void {
  if (options === undefined) return;
  if (options === null || typeof options !== 'object' || Array.isArray(options)) {
    throw new NntkError(
      'INVALID_OPTION',
      `${owner}: options must be an object, got ${describeValue(options)}`,
    );
  }
  for (const key of Object.keys(options)) {
    if (names.includes(key)) continue;
    const guess = closestName(key, names);
    const hint = guess === undefined ? '' : ` Did you mean '${guess}'?`;
    const list = names.length ? names.map((n) => `'${n}'`).join(', ') : 'none';
    throw new NntkError(
      'INVALID_OPTION',
      `${owner}: unknown option '${key}'.${hint} Known options: ${list}.`,
    );
  }
}
