import * as tf from '@tensorflow/tfjs-core';
import { NntkError } from '../errors';
import { check, checkOptionNames } from '../validate';
import { type Gradients, valueAndGrads } from '../value-and-grads';
import { buildPlan, disposePlan, type Plan } from './plan';
import { ReplayMismatch, replayPlan } from './replay';
import { type RegionResult, type Trace, traceRegion } from './trace';
import { traceDifference } from './trace-difference';

/** The region a compiled step traces: a loss of the inputs, optionally with an output to hand back. */
export type CompiledLossFn = (...inputs: tf.Tensor[]) => tf.Scalar | { loss: tf.Scalar; output?: tf.Tensor };

export interface CompileOptions {
  /** Shape signatures kept compiled at once (least recently used evicted). Default 8. */
  maxCacheSize?: number;
  /**
   * What a step that cannot be replayed does (one that draws random numbers, reads values on the host,
   * creates variables, or runs differently twice): `'eager'` (default) runs it eagerly from then on and
   * says why in `stats.eagerReasons`; `'error'` throws an `UNSUPPORTED` NntkError saying why.
   */
  onDynamic?: 'eager' | 'error';
  /** Extra state the region depends on, joined into the signature (e.g. train/eval modes). */
  signature?: () => string;
}

/** How the last call ran: traced (eager, recording), replayed, or eager (not compilable). */
export type CompiledMode = 'traced' | 'replayed' | 'eager';

export interface CompiledStats {
  traces: number;
  replays: number;
  eagerSteps: number;
  /** Signatures compiled (or known not to compile) right now. */
  cacheSize: number;
  /** Kernel calls per replay and calls the plan removed (dead code, Identity/Reshape aliases). */
  kernelsPerReplay: number;
  kernelsRemoved: number;
  /** Why a signature runs eagerly, by signature. */
  eagerReasons: Record<string, string>;
  lastMode?: CompiledMode;
}

export interface CompiledResult extends RegionResult {
  mode: CompiledMode;
}

/** A compiled value-and-gradients function: call it with the region's inputs. */
export interface CompiledValueAndGrads {
  (...inputs: tf.Tensor[]): CompiledResult;
  readonly stats: CompiledStats;
  /** Drops every compiled signature and frees what the plans hold; the function stays usable. */
  dispose(): void;
}

type Entry =
  | { state: 'traced'; trace: Trace }
  | { state: 'compiled'; plan: Plan }
  | { state: 'eager'; reason: string };

const OPTION_NAMES = ['maxCacheSize', 'onDynamic', 'signature'] as const;

function inputSignature(inputs: readonly tf.Tensor[]): string {
  return inputs
    .map((t, i) => {
      const first = inputs.findIndex((u) => u.dataId === t.dataId);
      return `${t.dtype}[${t.shape}]${first === i ? '' : `=${first}`}`;
    })
    .join(',');
}

/**
 * Compiles `valueAndGrads(() => fn(...inputs), params())` (think CUDA graphs, or `torch.compile`'s
 * "reduce-overhead" mode). Per shape signature (backend, input shapes and dtypes, which inputs are the
 * same tensor, the trainable parameters, `options.signature()`), the first two calls run eagerly while
 * every kernel the engine dispatches is recorded: forward, the tape's backward, saved-tensor clones and
 * gradient sums, plus the constants written from JavaScript and the variables read and assigned
 * (BatchNorm's running statistics). When the two traces are the same program, later calls replay the
 * kernels straight on the backend: no engine dispatch, no gradient tape, no Tensor per intermediate, dead
 * kernels and Identity/Reshape copies dropped, each intermediate buffer freed after its last reader. The
 * results are bit-identical to the eager path (the same kernels on the same data). A new signature
 * re-traces; at most `maxCacheSize` are kept. A region that draws from nntk's random generator, reads
 * values on the host, creates variables, or runs differently twice is not replayed (see `onDynamic`).
 *
 * What is frozen: everything the region computes from JavaScript values other than its inputs and
 * variables. Change such a value (a loss weight held as a number) and call `dispose()` to re-trace.
 */
export function compileValueAndGrads(
  fn: CompiledLossFn,
  params: () => Iterable<tf.Variable>,
  options: CompileOptions = {},
): CompiledValueAndGrads {
  checkOptionNames('compileValueAndGrads', options, OPTION_NAMES);
  return compileTrainingRegion(fn, params, options);
}

/**
 * What a compiled training step runs inside the traced region right after the backward pass (clipping
 * and the optimizer update): it gets the gradients and the call's inputs, and returns true when it
 * consumed the gradients (the region then frees them and hands back none). Internal to `compileStep`.
 */
export type AfterBackward = (grads: Gradients, inputs: readonly tf.Tensor[]) => boolean;

/**
 * {@link compileValueAndGrads} with an optional {@link AfterBackward} traced and replayed in the same
 * plan (how `compileStep` compiles the optimizer update). Internal: not exported from the package.
 */
export function compileTrainingRegion(
  fn: CompiledLossFn,
  params: () => Iterable<tf.Variable>,
  options: CompileOptions = {},
  after?: AfterBackward,
): CompiledValueAndGrads {
  const maxCacheSize = check.integer('compileValueAndGrads', 'maxCacheSize', options.maxCacheSize ?? 8, 1);
  const onDynamic = check.oneOf('compileValueAndGrads', 'onDynamic', options.onDynamic ?? 'eager', [
    'eager',
    'error',
  ]);
  const cache = new Map<string, Entry>();
  const stats: CompiledStats = {
    traces: 0,
    replays: 0,
    eagerSteps: 0,
    cacheSize: 0,
    kernelsPerReplay: 0,
    kernelsRemoved: 0,
    eagerReasons: {},
  };

  const region = (inputs: tf.Tensor[], variables: tf.Variable[]) => (): RegionResult => {
    let output: tf.Tensor | undefined;
    const { value, grads } = valueAndGrads(() => {
      const result = fn(...inputs);
      if (result instanceof tf.Tensor) return result;
      if (result.output) output = tf.keep(result.output);
      return result.loss;
    }, variables);
    if (!after) return { value, grads, output };
    let consumed: boolean;
    try {
      consumed = after(grads, inputs);
    } catch (error) {
      tf.dispose([value, ...grads.values(), ...(output ? [output] : [])]);
      throw error;
    }
    if (!consumed) return { value, grads, output };
    tf.dispose([...grads.values()]);
    return { value, grads: new Map(), output };
  };

  const forget = (key: string) => {
    const entry = cache.get(key);
    if (entry?.state === 'compiled') disposePlan(entry.plan);
    cache.delete(key);
  };

  const remember = (key: string, entry: Entry) => {
    cache.delete(key);
    cache.set(key, entry);
    while (cache.size > maxCacheSize) forget(cache.keys().next().value as string);
    stats.cacheSize = cache.size;
    if (entry.state === 'eager') {
      stats.eagerReasons[key] = entry.reason;
      if (onDynamic === 'error')
        throw new NntkError('UNSUPPORTED', `compiled step: cannot replay this step: ${entry.reason}`);
    }
    if (entry.state === 'compiled') {
      stats.kernelsPerReplay = entry.plan.calls.length;
      stats.kernelsRemoved = entry.plan.removed;
    }
  };

  const traced = (key: string, run: () => RegionResult, inputs: tf.Tensor[], previous?: Trace) => {
    stats.traces += 1;
    const { result, trace } = traceRegion(run, inputs);
    const reason = trace.refusal ?? (previous ? traceDifference(previous, trace) : undefined);
    try {
      if (reason) remember(key, { state: 'eager', reason });
      else
        remember(key, previous ? { state: 'compiled', plan: buildPlan(trace) } : { state: 'traced', trace });
    } catch (error) {
      tf.dispose([result.value, ...result.grads.values(), ...(result.output ? [result.output] : [])]);
      throw error;
    }
    return result;
  };

  const call = (...inputs: tf.Tensor[]): CompiledResult => {
    const variables = [...params()].filter((p) => p.trainable);
    const key = [
      tf.getBackend(),
      inputSignature(inputs),
      variables.map((v) => v.id).join(' '),
      options.signature?.() ?? '',
    ].join('|');
    const entry = cache.get(key);
    const run = region(inputs, variables);
    if (entry?.state === 'compiled') {
      remember(key, entry);
      let replayed: RegionResult | undefined;
      try {
        replayed = replayPlan(entry.plan, inputs);
      } catch (error) {
        if (!(error instanceof ReplayMismatch)) throw error;
        forget(key);
        remember(key, { state: 'eager', reason: error.message });
      }
      if (replayed) {
        stats.replays += 1;
        stats.lastMode = 'replayed';
        return { ...replayed, mode: 'replayed' };
      }
    }
    const known = cache.get(key);
    if (known?.state === 'eager') {
      if (onDynamic === 'error')
        throw new NntkError('UNSUPPORTED', `compiled step: cannot replay this step: ${known.reason}`);
      stats.eagerSteps += 1;
      stats.lastMode = 'eager';
      return { ...run(), mode: 'eager' };
    }
    const result = traced(key, run, inputs, entry?.state === 'traced' ? entry.trace : undefined);
    stats.lastMode = 'traced';
    return { ...result, mode: 'traced' };
  };

  const dispose = () => {
    for (const key of [...cache.keys()]) forget(key);
    stats.cacheSize = 0;
  };
  return Object.assign(call, { stats, dispose });
}
