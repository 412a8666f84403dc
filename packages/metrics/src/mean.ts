/** A running (optionally weighted) mean of numbers: `update(value, weight)` then `compute()`. */
export class Mean {
  private sum = 0;
  private weight = 0;

  update(value: number, weight = 1): void {
    this.sum += value * weight;
    this.weight += weight;
  }

  compute(): number {
    return this.weight === 0 ? Number.NaN : this.sum / this.weight;
  }

  reset(): void {
    this.sum = 0;
    this.weight = 0;
  }

  stateDict(): { sum: number; weight: number } {
    return { sum: this.sum, weight: this.weight };
  }

  loadStateDict(state: { sum: number; weight: number }): void {
    this.sum = state.sum;
    this.weight = state.weight;
  }
}
