import { NntkError } from '@nntk/core';

function distance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let diagonal = row[0];
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const above = row[j];
      row[j] = Math.min(row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] === b[j - 1] ? 0 : 1));
      diagonal = above;
    }
  }
  return row[b.length];
}

/** Throws `INVALID_OPTION` for a key of `options` not in `known`, suggesting the closest known name. */
export function rejectUnknownOptions(owner: string, options: object, known: readonly string[]): void {
  for (const key of Object.keys(options)) {
    if (known.includes(key)) continue;
    const closest = [...known].sort((a, b) => distance(key, a) - distance(key, b))[0];
    const hint =
      closest && distance(key, closest) <= Math.max(2, key.length / 3) ? ` (did you mean '${closest}'?)` : '';
    throw new NntkError(
      'INVALID_OPTION',
      `${owner}: unknown option '${key}'${hint}; the options are ${known.map((k) => `'${k}'`).join(', ')}`,
    );
  }
}
