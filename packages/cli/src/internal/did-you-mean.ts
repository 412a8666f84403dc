/**
 * Edit distance with insertions, deletions, substitutions and swaps of two neighbouring letters
 * (optimal string alignment), for "did you mean" suggestions: `trian` is one edit from `train`.
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

/**
 * The candidate closest to `name` when it is close enough to be a typo (at most a third of its length
 * apart, and at least one edit allowed), as a sentence fragment: `; did you mean 'train'?`, else ''.
 * `prefix` and `suffix` go around the suggestion (`--` + `optimizer` + `.lr`).
 */
export function didYouMean(name: string, candidates: readonly string[], prefix = '', suffix = ''): string {
  let best: string | undefined;
  let bestDistance = Number.POSITIVE_INFINITY;
  for (const candidate of candidates) {
    const d = editDistance(name.toLowerCase(), candidate.toLowerCase());
    if (d < bestDistance) [best, bestDistance] = [candidate, d];
  }
  const limit = Math.max(1, Math.floor(name.length / 3));
  return best !== undefined && bestDistance <= limit ? `; did you mean '${prefix}${best}${suffix}'?` : '';
}
