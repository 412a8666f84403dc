import { getRng } from '@nntk/core';
import { sortedBy } from './select';

/** Smallest |score| first; ties by lower flat index. */
export function byMagnitude(candidates: number[], scores: Float32Array): number[] {
  return sortedBy(candidates, (i) => Math.abs(scores[i]));
}

/** A uniformly random order drawn from nntk's seeded RNG. */
export function byChance(candidates: number[]): number[] {
  const rng = getRng();
  const draws = new Map(candidates.map((i) => [i, rng.random()]));
  return sortedBy(candidates, (i) => draws.get(i) as number);
}
