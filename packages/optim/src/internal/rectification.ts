/**
 * RAdam's variance rectification (Liu et al. 2020) after `step` steps: with `ρ∞ = 2/(1−β₂) − 1` and
 * `ρₜ = ρ∞ − 2tβ₂ᵗ/(1−β₂ᵗ)`, `r = √((ρₜ−4)(ρₜ−2)ρ∞ / ((ρ∞−4)(ρ∞−2)ρₜ))` when `ρₜ > 5`, else undefined
 * (the variance is not tractable yet and the step is not adapted).
 */
export function rectification(beta2: number, step: number, bc2: number): number | undefined {
  const rhoInf = 2 / (1 - beta2) - 1;
  const rhoT = rhoInf - (2 * step * beta2 ** step) / bc2;
  if (rhoT <= 5) return undefined;
  return Math.sqrt(((rhoT - 4) * (rhoT - 2) * rhoInf) / ((rhoInf - 4) * (rhoInf - 2) * rhoT));
}
