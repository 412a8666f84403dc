import {
  applyConstraints,
  backendCapability,
  check,
  type FusedOptimizerUpdates,
  type Gradients,
  NntkError,
  Parameter,
  type ReplayableUpdate,
} from '@nntk/core';
import * as tf from '@tensorflow/tfjs-core';
import { type GradientsInput, toGradientMap } from './internal/gradient-map';
import { NonFiniteGuard } from './internal/non-finite-guard';

/** A learning rate: a number, or a schedule `(step) => lr` of the optimizer's step count. */
export type LearningRate = number | ((step: number) => number);

/** Options every optimizer has. */
export interface BaseOptimizerOptions {
  lr: LearningRate;
  /**
   * Skip (and count in `skippedSteps`) a step whose gradients hold NaN or Inf. Default false. The check
   * stays on the device: the step's new values are selected against the old ones with `tf.where` on an
   * all-finite flag, so a skipped step leaves parameters and tensor state as they were without a
   * synchronous read. The flag is read asynchronously; `await optimizer.settled()` says whether the last
   * step was applied, and the step counters (`stepCount`, `skippedSteps`, the per-parameter `step`) are
   * exact once it is read. Await it (or anything that lets the read finish) before the next `step()` and
   * before `stateDict()`; both refuse with `USAGE` while a check is unread.
   */
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

/** What the host side of one parameter's step works with: numbers only, no tensor is made. */
export interface HostContext<O extends object> {
  param: tf.Variable;
  /** The parameter's state; the host side updates its numeric entries (step counters) in place. */
  state: ParamState;
  group: ParamGroup<O>;
  /** The group's learning rate for this step (its schedule applied). */
  lr: number;
}

/** What one parameter's device update works with (inside `tf.tidy`). */
export interface UpdateContext<O extends object> {
  param: tf.Variable;
  grad: tf.Tensor;
  state: ParamState;
  group: ParamGroup<O>;
  /**
   * The numbers the host side computed for this step (`OptimizerSpec.prepare`), as float32 scalar
   * tensors: the update reads every per-step number from here, never as a JavaScript constant, so a
   * compiled step replays one trace of it for every step.
   */
  scalars: Record<string, tf.Scalar>;
}

/**
 * What a fused update works with: the same as the reference update, the step's host numbers included as
 * float32 scalar tensors (a compiled step replays the fused kernel with each step's values).
 */
export type FusedUpdateContext<O extends object> = UpdateContext<O>;

/**
 * An optimizer's algorithm, which a thin class hands to {@link Optimizer}: its stable name, its defaults,
 * the checks of a group's options, the state it creates per parameter, its reference update split into a
 * host side (`prepare`: the per-step numbers, in JavaScript) and a device side (`update`: tfjs ops on any
 * backend, reading those numbers as scalar tensors), and optionally a fused update through the backend's
 * `fusedOptimizerUpdates` capability.
 */
export interface OptimizerSpec<O extends BaseOptimizerOptions> {
  /** Recorded by checkpoints to refuse loading one optimizer's state into another. */
  name: string;
  /** Options for groups that do not override them (`lr` may be left to the caller, as SGD does). */
  defaults: Omit<O, 'lr'> & Partial<Pick<O, 'lr'>>;
  /** Throws an `INVALID_OPTION` NntkError naming `owner` for a bad option of a group. */
  validate(owner: string, group: ParamGroup<O>): void;
  /** The state a parameter gets before its first update (inside `tf.tidy`). */
  initState(param: tf.Variable, group: ParamGroup<O>): ParamState;
  /**
   * The host side of one parameter's step: advances its numeric state (step counters) and returns the
   * numbers the device side needs this step (learning rate, bias corrections), by name. The names may
   * differ between steps where the update's kernels do (RAdam before and after rectification).
   */
  prepare(context: HostContext<O>): Record<string, number>;
  /** The device side: updates one parameter and its state in place with tfjs ops, from `scalars`. */
  update(context: UpdateContext<O>): void;
  /** Why this parameter's next update cannot be traced yet (state its first update creates), if so. */
  eagerReason?(state: ParamState, group: ParamGroup<O>): string | undefined;
  /**
   * The same update in one pass through the backend's fused updates, for the groups it applies to: it
   * reads the same host numbers (`prepare`'s, as scalar tensors) and, like `update`, only runs kernels
   * through the engine, so a compiled step traces and replays it.
   */
  fused?: {
    applies(group: ParamGroup<O>): boolean;
    update(updates: FusedOptimizerUpdates, context: FusedUpdateContext<O>): void;
  };
}

interface PendingParam {
  param: tf.Variable;
  grad: tf.Tensor;
}

/** One parameter of a prepared step: its state, its host side's pending numbers, its scalar slots. */
interface PreparedParam<O extends object> {
  param: tf.Variable;
  group: ParamGroup<O>;
  state: ParamState;
  pending: ParamState;
  slots: Array<[string, number]>;
}

/** The host numbers of one step as float32 scalar tensors (inside `tf.tidy`). */
function scalarTensors(values: Record<string, number>): Record<string, tf.Scalar> {
  const out: Record<string, tf.Scalar> = {};
  for (const [key, value] of Object.entries(values)) out[key] = tf.scalar(value, 'float32');
  return out;
}

/** A Map key that tells 0 from -0 (they are different float32 inputs). */
function scalarKey(value: number): number | string {
  return value === 0 && 1 / value < 0 ? '-0' : value;
}

const objectIds = new WeakMap<object, number>();
let nextObjectId = 0;

/** A stable number for an object's identity (a constraint function, a backend capability). */
function objectId(value: object): number {
  let id = objectIds.get(value);
  if (id === undefined) {
    id = nextObjectId++;
    objectIds.set(value, id);
  }
  return id;
}

/** The identity of a parameter's constraints (pruning masks), for a compiled step's signature. */
function constraintSignature(param: tf.Variable): string {
  if (!(param instanceof Parameter) || param.constraints.size === 0) return '';
  const ids: string[] = [];
  for (const [key, fn] of param.constraints) ids.push(`${key}=${objectId(fn)}`);
  return ids.join('&');
}

/** A group's options other than its parameters and learning rate, as a signature string. */
function groupSignature(group: ParamGroup<object>): string {
  const entries = Object.entries(group).filter(
    ([k, v]) => k !== 'params' && k !== 'lr' && k !== 'initialLr' && typeof v !== 'function',
  );
  return JSON.stringify(entries);
}

/** Prepared-step signatures remembered with the parameters their traces had no gradient for. */
const GRADLESS_MEMORY = 64;

/**
 * Base of every nntk optimizer, after `torch.optim.Optimizer`: parameter groups with per-group options,
 * lazily created per-parameter state, `step(grads)`, and exact `stateDict()`/`loadStateDict()`. The
 * algorithm comes from an {@link OptimizerSpec}; each step chooses once, per group, between its fused
 * update (where the active backend offers `fusedOptimizerUpdates`, `fused` is on, and every parameter and
 * gradient of the group is float32) and its reference update.
 */
export abstract class Optimizer<O extends BaseOptimizerOptions = BaseOptimizerOptions> {
  /**
   * The optimizer's stable name (`'Adam'`, `'AdamW'`), which checkpoints record to refuse loading one
   * optimizer's state into another (class names are not stable under minifiers).
   */
  readonly name: string;
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
  private readonly spec: OptimizerSpec<O>;
  private readonly guard = new NonFiniteGuard();
  /** Per prepared-step signature, the parameters its traced update found no gradient for. */
  private readonly gradless = new Map<string, Set<tf.Variable>>();

  protected constructor(params: ParamsInput<O>, options: Partial<O>, spec: OptimizerSpec<O>) {
    this.spec = spec;
    this.name = spec.name;
    this.defaults = { ...spec.defaults, ...options } as O;
    if (!Array.isArray(params) || params.length === 0) {
      throw new NntkError(
        'INVALID_OPTION',
        `${this.name}: got an empty parameter list; pass the variables to optimize`,
      );
    }
    const groups =
      params[0] instanceof tf.Variable ? [{ params: params as tf.Variable[] }] : (params as ParamGroup<O>[]);
    for (const group of groups) this.addParamGroup(group as { params: tf.Variable[] } & Partial<O>);
  }

  /** Adds a group of parameters with option overrides (PyTorch's `add_param_group`). */
  addParamGroup(group: { params: tf.Variable[] } & Partial<O>): void {
    const name = this.name;
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
    this.spec.validate(name, full);
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

  /**
   * Applies one update from `grads` (core's `valueAndGrads` result, a `Map` from variable to gradient, or
   * a tfjs `NamedTensorMap` by variable name). A parameter without a gradient is skipped, as PyTorch
   * skips `grad is None`. A `Parameter`'s `constraints` (pruning masks) are applied after its update.
   * Returns true. With `skipNonFinite`, whether the step was applied is decided on the device:
   * `await settled()` gives it (see {@link BaseOptimizerOptions.skipNonFinite}).
   */
  step(grads: GradientsInput): boolean {
    this.guard.assertSettled(`${this.name}.step`);
    const map = toGradientMap(grads, this.params, `${this.name}.step`);
    const work = this.paramGroups.map((group) => this.gradientsOf(group, map));
    const guarded = this.paramGroups[0].skipNonFinite === true && map.size > 0;
    if (guarded) this.guard.begin(map, this.state, work.flat());
    const updates = backendCapability('fusedOptimizerUpdates');
    for (const [i, group] of this.paramGroups.entries()) this.stepGroup(group, work[i], updates);
    this.stepCount += 1;
    if (guarded) {
      this.guard.commit(this.state, (applied) => {
        if (applied) return;
        this.stepCount -= 1;
        this.skippedSteps += 1;
      });
    }
    return true;
  }

  /**
   * Resolves once the last step's non-finite check (`skipNonFinite`) has been read, with whether that step
   * was applied; the counters are exact from then on. Resolves true at once without a pending check.
   */
  settled(): Promise<boolean> {
    return this.guard.settled();
  }

  private gradientsOf(group: ParamGroup<O>, map: Map<tf.Variable, tf.Tensor>): PendingParam[] {
    const work: PendingParam[] = [];
    for (const param of group.params) {
      const grad = map.get(param);
      if (grad == null) continue;
      if (!tf.util.arraysEqual(grad.shape, param.shape)) {
        throw new NntkError(
          'SHAPE_MISMATCH',
          `${this.name}.step: gradient for '${param.name}' has shape [${grad.shape}], the parameter has [${param.shape}]`,
        );
      }
      work.push({ param, grad });
    }
    return work;
  }

  /** Whether a group's step takes the fused path (chosen once for the whole group). */
  private usesFused(
    group: ParamGroup<O>,
    work: PendingParam[] | tf.Variable[],
    updates: FusedOptimizerUpdates | undefined,
  ): boolean {
    const fused = this.spec.fused;
    return (
      fused !== undefined &&
      updates !== undefined &&
      group.fused === true &&
      fused.applies(group) &&
      work.every((w) =>
        w instanceof tf.Variable
          ? w.dtype === 'float32'
          : w.param.dtype === 'float32' && w.grad.dtype === 'float32',
      )
    );
  }

  /** A parameter's state, created before its first update. */
  private stateOf(param: tf.Variable, group: ParamGroup<O>): ParamState {
    let state = this.state.get(param);
    if (!state) {
      state = tf.tidy(() => this.spec.initState(param, group));
      this.state.set(param, state);
    }
    return state;
  }

  /** One group's updates, on the fused path or the reference path, chosen once for the whole group. */
  private stepGroup(group: ParamGroup<O>, work: PendingParam[], updates: FusedOptimizerUpdates | undefined) {
    const lr = this.currentLr(group);
    const fused = this.spec.fused;
    const useFused = this.usesFused(group, work, updates);
    for (const { param, grad } of work) {
      const state = this.stateOf(param, group);
      const values = this.spec.prepare({ param, state, group, lr });
      tf.tidy(() => {
        const context = { param, grad, state, group, scalars: scalarTensors(values) };
        if (useFused && fused && updates) fused.update(updates, context);
        else this.spec.update(context);
      });
      applyConstraints(param);
    }
  }

  /**
   * The next step's update for `compileStep` (`@nntk/core`), split into its host side and its device
   * side, for a step whose gradients are those of `params`: the host side (learning rates, schedules,
   * bias corrections, step counters) is computed here, in JavaScript, into `scalars`; `update(grads,
   * scalars)` runs only kernels, reading those numbers from the scalar tensors it is given, so one trace
   * of it replays at every step; `commit()` then advances the counters as `step()` does. The kernels,
   * their inputs and so the results are the same as `step(grads)`'s. Missing state is created here (as
   * the first `step` would); nothing else changes before `commit()`.
   *
   * A group on the fused path (`fusedOptimizerUpdates` on wasm) is compiled too: its fused update is one
   * registered kernel per parameter, fed the same scalars.
   *
   * Returns a sentence instead where this step must run eagerly through `step()`: `skipNonFinite` (its
   * check is read on the host), or state created by the first update (SGD's momentum buffer).
   */
  prepareStep(params: readonly tf.Variable[]): ReplayableUpdate | string {
    const name = this.name;
    this.guard.assertSettled(`${name}.prepareStep`);
    if (this.paramGroups[0].skipNonFinite === true)
      return `${name}: skipNonFinite selects each step's values on a flag read on the host`;
    const withGrad = new Set(params);
    const updates = backendCapability('fusedOptimizerUpdates');
    const entries: Array<{ param: tf.Variable; group: ParamGroup<O>; state: ParamState }> = [];
    const fusedGroups = new Set<ParamGroup<O>>();
    for (const group of this.paramGroups) {
      const groupParams = group.params.filter((p) => withGrad.has(p));
      if (this.usesFused(group, groupParams, updates)) fusedGroups.add(group);
      for (const param of groupParams) {
        const state = this.stateOf(param, group);
        const reason = this.spec.eagerReason?.(state, group);
        if (reason) return `${name}: ${reason}`;
        entries.push({ param, group, state });
      }
    }
    const fused = this.spec.fused;
    const values: number[] = [];
    const slotOf = new Map<number | string, number>();
    const lrs = new Map(this.paramGroups.map((g) => [g, this.currentLr(g)]));
    const prepared: PreparedParam<O>[] = entries.map(({ param, group, state }) => {
      const pending: ParamState = { ...state };
      const scalars = this.spec.prepare({ param, state: pending, group, lr: lrs.get(group) as number });
      const slots = Object.entries(scalars).map(([key, value]): [string, number] => {
        let slot = slotOf.get(scalarKey(value));
        if (slot === undefined) {
          slot = values.length;
          values.push(value);
          slotOf.set(scalarKey(value), slot);
        }
        return [key, slot];
      });
      return { param, group, state, pending, slots };
    });
    const signature = [
      name,
      this.paramGroups.map(groupSignature).join(';'),
      this.paramGroups
        .map((g) => (fusedGroups.has(g) && updates ? `fused${objectId(updates)}` : 'reference'))
        .join(','),
      prepared
        .map(({ param, state, slots }) => {
          const tensors = Object.entries(state).filter(([, v]) => typeof v !== 'number');
          const ids = tensors.map(([k, v]) => `${k}#${(v as tf.Variable).id}`).join(',');
          return `${param.id}[${slots.map(([k, j]) => `${k}${j}`).join(',')}]{${ids}}${constraintSignature(param)}`;
        })
        .join(';'),
    ].join('|');
    return {
      scalars: values,
      signature,
      update: (grads: Gradients, scalars: readonly tf.Scalar[]) => {
        const gradless = new Set<tf.Variable>();
        for (const { param, group, state, slots } of prepared) {
          const grad = grads.get(param);
          if (grad == null) {
            gradless.add(param);
            continue;
          }
          const named = Object.fromEntries(slots.map(([key, slot]) => [key, scalars[slot]]));
          tf.tidy(() => {
            const context = { param, grad, state, group, scalars: named };
            if (fused && updates && fusedGroups.has(group)) fused.update(updates, context);
            else this.spec.update(context);
          });
          applyConstraints(param);
        }
        this.gradless.delete(signature);
        this.gradless.set(signature, gradless);
        while (this.gradless.size > GRADLESS_MEMORY)
          this.gradless.delete(this.gradless.keys().next().value as string);
      },
      commit: () => {
        const gradless = this.gradless.get(signature);
        for (const { param, state, pending } of prepared) {
          if (gradless?.has(param)) continue;
          for (const [key, value] of Object.entries(pending))
            if (typeof value === 'number') state[key] = value;
        }
        this.stepCount += 1;
      },
    };
  }

  /** Optimizer state as JSON-safe values plus cloned tensors (the caller disposes them). */
  stateDict(): OptimizerStateDict {
    this.guard.assertSettled(`${this.name}.stateDict`);
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
    const name = this.name;
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
    this.guard.assertSettled(`${name}.loadStateDict`);
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
    this.guard.dispose();
    this.disposeState();
    this.gradless.clear();
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
