import { applyConstraints, check, NntkError } from '@nntk/core';
import * as tf from '@tensorflow/tfjs-core';
import { type GradientsInput, toGradientMap } from './internal/gradient-map';

/** A learning rate: a number, or a schedule `(step) => lr` of the optimizer's step count. */
export type LearningRate = number | ((step: number) => number);

/** Options every optimizer has. */
export interface BaseOptimizerOptions {
  lr: LearningRate;
  /** Skip (and count in `skippedSteps`) a step whose gradients hold NaN or Inf. Default false. */
  skipNonFinite?: boolean;
}

/** A parameter group: its parameters plus the options that apply to them. */
export type ParamGroup<O extends object> = O & {
  params: tf.Variable[];
  initialLr?: number;
  [key: string]: unknown;
};

/** Parameters, or parameter groups `{ params, ...overrides }`. */
export type ParamsInput<O extends object> = tf.Variable[] | Array<{ params: tf.Variable[] } & Partial<O>>;

/** Per-parameter optimizer state: counters and tensors. */
export type ParamState = Record<string, number | tf.Variable>;

/** A JSON-safe structure plus tensors; parameters are referenced by index, as in PyTorch. */
export interface OptimizerStateDict {
  state: Record<number, Record<string, number | tf.Tensor>>;
  paramGroups: Array<Record<string, unknown> & { params: number[] }>;
  stepCount: number;
  skippedSteps: number;
}

/**
 * Base of every nntk optimizer, after `torch.optim.Optimizer`: parameter groups with per-group options,
 * lazily created per-parameter state, `step(grads)`, and exact `stateDict()`/`loadStateDict()`.
 * Subclasses define `validateGroup`, `initState` and `update` (one parameter, inside `tf.tidy`).
 */
export abstract class Optimizer<O extends BaseOptimizerOptions = BaseOptimizerOptions> {
  /**
   * The optimizer's stable name (`'Adam'`, `'AdamW'`), which checkpoints record to refuse loading one
   * optimizer's state into another (class names are not stable under minifiers). Subclasses set it.
   */
  readonly name: string = 'Optimizer';
  /** Options used for any group that does not override them. */
  readonly defaults: O;
  /** Public and mutable: `paramGroups[0].lr = 0.01` takes effect at the next step. */
  paramGroups: ParamGroup<O>[] = [];
  /** Per-parameter state, created at a parameter's first update. */
  readonly state = new Map<tf.Variable, ParamState>();
  /** Number of steps taken (skipped steps not included). */
  stepCount = 0;
  /** Steps skipped because of non-finite gradients (`skipNonFinite`). */
  skippedSteps = 0;

  protected constructor(params: ParamsInput<O>, defaults: O) {
    this.defaults = defaults;
    if (!Array.isArray(params) || params.length === 0) {
      throw new NntkError(
        'INVALID_OPTION',
        `${this.constructor.name}: got an empty parameter list; pass the variables to optimize`,
      );
    }
    const groups =
      params[0] instanceof tf.Variable ? [{ params: params as tf.Variable[] }] : (params as ParamGroup<O>[]);
    for (const group of groups) this.addParamGroup(group as { params: tf.Variable[] } & Partial<O>);
  }

  protected abstract validateGroup(group: ParamGroup<O>): void;
  protected abstract initState(param: tf.Variable, group: ParamGroup<O>): ParamState;
  /** Updates one parameter (and its state) in place; runs inside `tf.tidy`. */
  protected abstract update(
    param: tf.Variable,
    grad: tf.Tensor,
    state: ParamState,
    group: ParamGroup<O>,
    lr: number,
  ): void;

  /** Adds a group of parameters with option overrides (PyTorch's `add_param_group`). */
  addParamGroup(group: { params: tf.Variable[] } & Partial<O>): void {
    const name = this.constructor.name;
    if (!Array.isArray(group?.params) || group.params.length === 0) {
      throw new NntkError('INVALID_OPTION', `${name}: a parameter group needs a non-empty 'params' array`);
    }
    for (const p of group.params) {
      if (!(p instanceof tf.Variable)) {
        throw new NntkError(
          'INVALID_OPTION',
          `${name}: parameters must be tf.Variable or Parameter instances, got ${typeof p}`,
        );
      }
      if (
        this.paramGroups.some((g) => g.params.includes(p)) ||
        group.params.indexOf(p) !== group.params.lastIndexOf(p)
      ) {
        throw new NntkError(
          'INVALID_OPTION',
          `${name}: parameter '${p.name}' appears in more than one parameter group`,
        );
      }
    }
    const full = { ...this.defaults, ...group, params: [...group.params] } as ParamGroup<O>;
    if (typeof full.lr !== 'function') check.nonNegative(name, 'lr', full.lr);
    if (full.initialLr === undefined && typeof full.lr === 'number') full.initialLr = full.lr;
    this.validateGroup(full);
    this.paramGroups.push(full);
  }

  /** Every parameter, in group order (the order `stateDict()` indexes them by). */
  get params(): tf.Variable[] {
    return this.paramGroups.flatMap((g) => g.params);
  }

  /** The learning rate a group uses at the next step. */
  currentLr(group: ParamGroup<O>): number {
    return typeof group.lr === 'function' ? group.lr(this.stepCount) : group.lr;
  }

  private allFinite(grads: Map<tf.Variable, tf.Tensor>): boolean {
    const bad = tf.tidy(() =>
      tf.addN([...grads.values()].map((g) => tf.sum(tf.logicalOr(tf.isNaN(g), tf.isInf(g)).toFloat()))),
    );
    const count = bad.dataSync()[0];
    bad.dispose();
    return count === 0;
  }

  /**
   * Applies one update from `grads` (core's `valueAndGrads` result, a `Map` from variable to gradient, or
   * a tfjs `NamedTensorMap` by variable name). A parameter without a gradient is skipped, as PyTorch
   * skips `grad is None`. A `Parameter`'s `constraints` (pruning masks) are applied after its update.
   * Returns false when the step was skipped for non-finite gradients.
   */
  step(grads: GradientsInput): boolean {
    const map = toGradientMap(grads, this.params, `${this.constructor.name}.step`);
    if (this.paramGroups[0].skipNonFinite && map.size > 0 && !this.allFinite(map)) {
      this.skippedSteps += 1;
      return false;
    }
    for (const group of this.paramGroups) {
      const lr = this.currentLr(group);
      for (const param of group.params) {
        const grad = map.get(param);
        if (grad == null) continue;
        if (!tf.util.arraysEqual(grad.shape, param.shape)) {
          throw new NntkError(
            'SHAPE_MISMATCH',
            `${this.constructor.name}.step: gradient for '${param.name}' has shape [${grad.shape}], the parameter has [${param.shape}]`,
          );
        }
        let state = this.state.get(param);
        if (!state) {
          state = tf.tidy(() => this.initState(param, group));
          this.state.set(param, state);
        }
        const s = state;
        tf.tidy(() => this.update(param, grad, s, group, lr));
        applyConstraints(param);
      }
    }
    this.stepCount += 1;
    return true;
  }

  /** Optimizer state as JSON-safe values plus cloned tensors (the caller disposes them). */
  stateDict(): OptimizerStateDict {
    const params = this.params;
    const state: OptimizerStateDict['state'] = {};
    params.forEach((p, index) => {
      const s = this.state.get(p);
      if (!s) return;
      state[index] = Object.fromEntries(
        Object.entries(s).map(([k, v]) => [k, typeof v === 'number' ? v : v.clone()]),
      );
    });
    let offset = 0;
    const paramGroups = this.paramGroups.map((g) => {
      const { params: groupParams, ...options } = g;
      const entry: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(options)) if (typeof v !== 'function') entry[k] = v;
      const indices = groupParams.map((_, i) => offset + i);
      offset += groupParams.length;
      return { ...entry, params: indices };
    });
    return { state, paramGroups, stepCount: this.stepCount, skippedSteps: this.skippedSteps };
  }

  /**
   * Restores a `stateDict()` into this optimizer (built over the same parameters in the same groups).
   * Tensors are copied; the caller still owns the ones passed in. Function-valued options (a schedule as
   * `lr`) stay as this optimizer was constructed.
   */
  loadStateDict(stateDict: OptimizerStateDict): void {
    const name = this.constructor.name;
    const groups = stateDict?.paramGroups;
    if (!Array.isArray(groups) || groups.length !== this.paramGroups.length) {
      throw new NntkError(
        'STATE_DICT_MISMATCH',
        `${name}.loadStateDict: the state has ${groups?.length ?? 'no'} parameter groups, this optimizer has ${this.paramGroups.length}`,
      );
    }
    groups.forEach((g, i) => {
      if (g.params.length !== this.paramGroups[i].params.length) {
        throw new NntkError(
          'STATE_DICT_MISMATCH',
          `${name}.loadStateDict: group ${i} has ${g.params.length} parameters in the state and ${this.paramGroups[i].params.length} here`,
        );
      }
    });
    const params = this.params;
    for (const [index, entry] of Object.entries(stateDict.state)) {
      const param = params[Number(index)];
      if (!param)
        throw new NntkError(
          'STATE_DICT_MISMATCH',
          `${name}.loadStateDict: state for parameter ${index}, which does not exist here`,
        );
      for (const [key, value] of Object.entries(entry)) {
        if (typeof value !== 'number' && !tf.util.arraysEqual(value.shape, param.shape) && value.rank !== 0) {
          throw new NntkError(
            'STATE_DICT_MISMATCH',
            `${name}.loadStateDict: state '${key}' of parameter ${index} has shape [${value.shape}], the parameter has [${param.shape}]`,
          );
        }
      }
    }
    this.disposeState();
    groups.forEach((g, i) => {
      const { params: _indices, ...options } = g;
      const target = this.paramGroups[i] as Record<string, unknown>;
      for (const [k, v] of Object.entries(options)) if (typeof target[k] !== 'function') target[k] = v;
    });
    for (const [index, entry] of Object.entries(stateDict.state)) {
      const restored: ParamState = {};
      for (const [key, value] of Object.entries(entry)) {
        restored[key] = typeof value === 'number' ? value : tf.variable(value, false);
      }
      this.state.set(params[Number(index)], restored);
    }
    this.stepCount = stateDict.stepCount ?? 0;
    this.skippedSteps = stateDict.skippedSteps ?? 0;
  }

  private disposeState(): void {
    for (const s of this.state.values())
      for (const v of Object.values(s)) if (typeof v !== 'number') v.dispose();
    this.state.clear();
  }

  /** Frees all optimizer state. The optimizer can keep stepping (state is recreated). */
  dispose(): void {
    this.disposeState();
  }
}

/** Validators shared by the optimizers' groups. */
export function checkBetas(owner: string, betas: unknown): [number, number] {
  const ok =
    Array.isArray(betas) &&
    betas.length === 2 &&
    betas.every((b) => typeof b === 'number' && b >= 0 && b < 1);
  if (!ok) {
    throw new NntkError(
      'INVALID_OPTION',
      `${owner}: option 'betas' must be two numbers in [0, 1), got ${JSON.stringify(betas)}`,
    );
  }
  return betas as [number, number];
}
