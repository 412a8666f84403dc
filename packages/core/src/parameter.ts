import * as tf from '@tensorflow/tfjs-core';
import { NntkError } from './errors';

export interface ParameterOptions {
  /** A readable label; the registry name gets a unique suffix. Default `'param'`. */
  name?: string;
  /** Whether optimizers and `valueAndGrads` update it. Default true. */
  trainable?: boolean;
}

/**
 * The id `tf.variable` gives a new variable: tfjs's engine keeps `nextTensorId` private, so it is read
 * and checked here rather than cast to.
 */
function nextTensorId(engine: object): number {
  const next: unknown = Reflect.get(engine, 'nextTensorId');
  const id: unknown = typeof next === 'function' ? next.call(engine) : undefined;
  if (typeof id !== 'number')
    throw new NntkError(
      'UNSUPPORTED',
      'Parameter: this @tensorflow/tfjs-core has no engine nextTensorId(); use tfjs-core 4.x',
    );
  return id;
}

let parameterCounter = 0;

/** Marks Parameter instances; checked by `instanceof` so it works across copies of nntk too. */
const PARAMETER_BRAND = Symbol.for('@nntk/core.Parameter');

function uniqueName(label: string, registry: Record<string, tf.Variable>): string {
  let name: string;
  do {
    parameterCounter += 1;
    name = `${label}_${parameterCounter}`;
  } while (registry[name] != null);
  return name;
}

/**
 * A trainable tensor: a real `tf.Variable` (so it works with `tf.variableGrads`, tfjs optimizers and
 * every op) with a readable label. Modules find their parameters by looking for `Parameter` fields.
 *
 * The initial value is copied by reference to its data (as `tf.variable` does): disposing the tensor you
 * passed in is safe.
 */
export class Parameter<R extends tf.Rank = tf.Rank> extends tf.Variable<R> {
  /** The label given at construction (the registry `name` is this plus a unique suffix). */
  readonly label: string;
  /**
   * Rewrites of the value that every nntk optimizer applies after it updates this parameter (Keras's
   * weight `constraint`), by key: pruning masks, norm constraints. Each maps the new value to the kept one.
   */
  readonly constraints = new Map<string, (value: tf.Tensor) => tf.Tensor>();

  constructor(value: tf.Tensor<R>, options: ParameterOptions = {}) {
    if (!(value instanceof tf.Tensor)) {
      throw new NntkError('INVALID_OPTION', `Parameter: expected a tf.Tensor as value, got ${typeof value}`);
    }
    if (value.dtype === 'string' || value.dtype === 'complex64') {
      throw new NntkError('UNSUPPORTED_DTYPE', `Parameter: dtype ${value.dtype} cannot be a parameter`);
    }
    const engine = tf.engine();
    const label = options.name ?? 'param';
    const name = uniqueName(label, engine.state.registeredVariables);
    // Same steps as Engine.makeVariable, so the subclass is a registered, ref-counted variable.
    super(value, options.trainable ?? true, name, nextTensorId(engine));
    engine.state.registeredVariables[name] = this;
    engine.incRef(this, engine.backend);
    this.label = label;
    Object.defineProperty(this, PARAMETER_BRAND, { value: true });
  }

  // tf.Variable defines `instanceof` as "has assign()", which every variable passes; a Parameter is
  // recognised by its brand instead, so plain variables in a module are buffers, not parameters.
  static override [Symbol.hasInstance](instance: unknown): boolean {
    return instance != null && typeof instance === 'object' && PARAMETER_BRAND in instance;
  }
}

/** Applies a parameter's `constraints` in place (a no-op for plain variables and unconstrained ones). */
export function applyConstraints(variable: tf.Variable): void {
  if (!(variable instanceof Parameter) || variable.constraints.size === 0) return;
  tf.tidy(() => {
    let value: tf.Tensor = variable;
    for (const constrain of variable.constraints.values()) value = constrain(value);
    variable.assign(value);
  });
}
