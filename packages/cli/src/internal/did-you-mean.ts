import { closestName } from '@nntk/core';

/**
 * The candidate closest to `name` when it is close enough to be a typo (core's `closestName`), as a
 * sentence fragment: `; did you mean 'train'?`, else ''. `prefix` and `suffix` go around the suggestion
 * (`--` + `optimizer` + `.lr`).
 */
export function didYouMean(name: string, candidates: readonly string[], prefix = '', suffix = ''): string {
  const best = closestName(name, candidates);
  return best === undefined ? '' : `; did you mean '${prefix}${best}${suffix}'?`;
}
