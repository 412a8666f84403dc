/** Cosine interpolation from `start` (pct 0) to `end` (pct 1): `end + (start − end)(1 + cos(π·pct))/2`. */
export function annealCos(start: number, end: number, pct: number): number {
  return end + ((start - end) / 2) * (Math.cos(Math.PI * pct) + 1);
}

/** Linear interpolation from `start` (pct 0) to `end` (pct 1). */
export function annealLinear(start: number, end: number, pct: number): number {
  return (end - start) * pct + start;
}

export const anneals = { cos: annealCos, linear: annealLinear } as const;
export type AnnealStrategy = keyof typeof anneals;
