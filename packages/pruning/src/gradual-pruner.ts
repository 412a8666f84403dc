import { check, type Module, NntkError } from '@nntk/core';
import * as tf from '@tensorflow/tfjs-core';
import { globalUnstructured } from './global-unstructured';
import { roundHalfEven } from './internal/amount';
import { setMask } from './internal/apply-mask';
import { weightTargets } from './internal/default-targets';
import type { SparsitySchedule } from './internal/schedule';
import { aliveChannels } from './internal/select';
import { checkDim } from './internal/structured';
import { getMask, maskValues, type PruningTarget, targetParameter } from './internal/target';
import { countUnpruned } from './internal/unstructured';
import { l1Unstructured } from './l1-unstructured';
import { lnStructured } from './ln-structured';

export interface GradualPrunerOptions {
  /** Prune the weight of every Linear and Conv2d in this model… */
  model?: Module;
  /** …or exactly these `[module, 'weight']` pairs. */
  targets?: PruningTarget[];
  /** `constantSparsity(...)` or `polynomialDecaySparsity(...)`. */
  schedule: SparsitySchedule;
  /**
   * `'unstructured'` (smallest |w| per layer, TFMOT's behaviour and the default), `'global'` (one
   * threshold across layers) or `'structured'` (whole channels by L_n norm along `dim`).
   */
  mode?: 'unstructured' | 'global' | 'structured';
  /** Norm for structured mode. Default 2. */
  n?: number | 'fro';
  /** Axis for structured mode. Default -1 (output units). */
  dim?: number;
}

/**
 * Drives a sparsity schedule: call `step()` after every optimizer step; on the schedule's pruning steps
 * it prunes each target further (never un-pruning) until the scheduled fraction of it is zero. Masks
 * are installed (all ones) at construction, so a fresh model gets the same state-dict keys as a
 * checkpointed one and a resumed run is exact.
 */
export class GradualPruner {
  readonly targets: PruningTarget[];
  readonly schedule: SparsitySchedule;
  readonly mode: 'unstructured' | 'global' | 'structured';
  private readonly n: number | 'fro';
  private readonly dim: number;
  /** Calls to `step()` so far: the step the schedule sees next. */
  stepCount = 0;

  constructor(options: GradualPrunerOptions) {
    const owner = 'GradualPruner';
    if (typeof options?.schedule !== 'function') {
      throw new NntkError(
        'INVALID_OPTION',
        `${owner}: option 'schedule' must be a sparsity schedule such as polynomialDecaySparsity({...})`,
      );
    }
    this.schedule = options.schedule;
    this.targets = options.targets ?? (options.model ? weightTargets(options.model) : []);
    if (this.targets.length === 0) {
      throw new NntkError(
        'INVALID_OPTION',
        `${owner}: nothing to prune; pass 'model' (with Linear or Conv2d layers) or 'targets'`,
      );
    }
    this.mode = check.oneOf(owner, 'mode', options.mode ?? 'unstructured', [
      'unstructured',
      'global',
      'structured',
    ]);
    this.n = options.n ?? 2;
    this.dim = options.dim ?? -1;
    for (const [module, name] of this.targets) {
      const param = targetParameter(owner, module, name);
      if (this.mode === 'structured')
        checkDim(owner, `${module.constructor.name}.${name}`, param.shape, this.dim);
      // An all-ones mask where there is none (an existing one already masks), so nothing is read here.
      if (!getMask(module, name)) setMask(module, name, tf.ones(param.shape));
    }
  }

  /**
   * Applies the schedule at the current step, then advances. Returns the schedule's decision. A pruning
   * step reads masks and weights with `await data()`; a step the schedule does not prune at reads nothing.
   */
  async step(): Promise<{ pruned: boolean; sparsity: number }> {
    const { prune, sparsity } = this.schedule(this.stepCount);
    if (prune) await this.pruneTo(sparsity);
    this.stepCount += 1;
    return { pruned: prune, sparsity };
  }

  /** Prunes every target up to `sparsity` (a fraction of its entries, or of its channels when structured). */
  async pruneTo(sparsity: number): Promise<void> {
    if (this.mode === 'global') {
      await this.pruneGlobal(sparsity);
      return;
    }
    for (const [module, name] of this.targets) {
      const param = targetParameter('GradualPruner', module, name);
      const mask = await maskValues(module, name, param.size);
      if (this.mode === 'structured') {
        const dim = checkDim('GradualPruner', name, param.shape, this.dim);
        const channels = param.shape[dim];
        const extra =
          roundHalfEven(sparsity * channels) - (channels - aliveChannels(mask, param.shape, dim).length);
        if (extra > 0) await lnStructured(module, name, { amount: { count: extra }, n: this.n, dim });
      } else {
        const extra = roundHalfEven(sparsity * param.size) - (param.size - countUnpruned(mask));
        if (extra > 0) await l1Unstructured(module, name, { amount: { count: extra } });
      }
    }
  }

  private async pruneGlobal(sparsity: number): Promise<void> {
    let size = 0;
    let pruned = 0;
    for (const [module, name] of this.targets) {
      const param = targetParameter('GradualPruner', module, name);
      size += param.size;
      pruned += param.size - countUnpruned(await maskValues(module, name, param.size));
    }
    const extra = roundHalfEven(sparsity * size) - pruned;
    if (extra > 0) await globalUnstructured(this.targets, { amount: { count: extra } });
  }

  stateDict(): { stepCount: number } {
    return { stepCount: this.stepCount };
  }

  loadStateDict(state: { stepCount: number }): void {
    this.stepCount = check.integer('GradualPruner.loadStateDict', 'stepCount', state?.stepCount);
  }
}
