/** Complementary error function, Numerical Recipes' Chebyshev fit (relative error < 1.2e-7 everywhere). */
export function erfc(x: number): number {
  const z = Math.abs(x);
  const t = 1 / (1 + 0.5 * z);
  const poly =
    -z * z -
    1.26551223 +
    t *
      (1.00002368 +
        t *
          (0.37409196 +
            t *
              (0.09678418 +
                t *
                  (-0.18628806 +
                    t *
                      (0.27886807 +
                        t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277))))))));
  const r = t * Math.exp(poly);
  return x >= 0 ? r : 2 - r;
}

/** P(a < Z < b) for a standard normal Z, accurate in both tails (never below 1e-300). */
export function normalMass(a: number, b: number): number {
  const mass =
    a > 0
      ? 0.5 * (erfc(a / Math.SQRT2) - erfc(b / Math.SQRT2))
      : 0.5 * (erfc(-b / Math.SQRT2) - erfc(-a / Math.SQRT2));
  return Math.max(mass, 1e-300);
}

/** log(sum(exp(values))) without overflow. */
export function logSumExp(values: number[]): number {
  const max = Math.max(...values);
  if (!Number.isFinite(max)) return max;
  return max + Math.log(values.reduce((s, v) => s + Math.exp(v - max), 0));
}
