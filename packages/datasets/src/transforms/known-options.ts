import { NntkError } from '@nntk/core';

/** Levenshtein distance, for "did you mean" suggestions. */
function distance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let previous = row[0];
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const keep = row[j];
      row[j] = Math.min(row[j] + 1, row[j - 1] + 1, previous + (a[i - 1] === b[j - 1] ? 0 : 1));
      previous = keep;
    }
  }
  return row[b.length];
}

/** ` (did you mean 'x'?)` for the closest of `known` when it is close enough, else ''. */
export function didYouMean(name: string, known: readonly string[]): string {
  let best = '';
  let bestDistance = Number.POSITIVE_INFINITY;
  for (const k of known) {
    const d = distance(name.toLowerCase(), k.toLowerCase());
    if (d < bestDistance) [best, bestDistance] = [k, d];
  }
  return bestDistance <= Math.max(2, Math.floor(name.length / 3)) ? ` (did you mean '${best}'?)` : '';
}

/** Refuses option names not in `known`, naming the closest known one. */
export function checkKnownOptions(owner: string, options: object, known: readonly string[]): void {
  for (const key of Object.keys(options))
    if (!known.includes(key))
      throw new NntkError(
        'INVALID_OPTION',
        `${owner}: unknown option '${key}'${didYouMean(key, known)}; known options: ${known.join(', ')}`,
      );
}

/** Checks that `value` is one of `allowed`, naming the closest one when it is not. */
export function checkName<T extends string>(
  owner: string,
  option: string,
  value: unknown,
  allowed: readonly T[],
): T {
  if (typeof value === 'string' && allowed.includes(value as T)) return value as T;
  const hint = typeof value === 'string' ? didYouMean(value, allowed) : '';
  throw new NntkError(
    'INVALID_OPTION',
    `${owner}: option '${option}' must be one of ${allowed.map((a) => `'${a}'`).join(', ')}, got ${JSON.stringify(value)}${hint}`,
  );
}
