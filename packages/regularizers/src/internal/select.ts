import type * as tf from '@tensorflow/tfjs-core';

/** Which parameters a penalty applies to: a predicate, or a pattern matched against the name. */
export type ParameterFilter = RegExp | ((name: string, parameter: tf.Variable) => boolean);

/** Parameters as `[name, variable]` pairs (a module's `namedParameters()`) or plain variables. */
export type ParametersInput = Iterable<[string, tf.Variable]> | Iterable<tf.Variable>;

/** The variables a penalty covers, after the filter (plain variables are matched by their tf name). */
export function selectParameters(params: ParametersInput, filter?: ParameterFilter): tf.Variable[] {
  const pairs = [...params].map((p) =>
    Array.isArray(p)
      ? (p as [string, tf.Variable])
      : ([(p as tf.Variable).name, p as tf.Variable] as [string, tf.Variable]),
  );
  if (!filter) return pairs.map(([, v]) => v);
  const keep = filter instanceof RegExp ? (name: string) => filter.test(name) : filter;
  return pairs.filter(([name, v]) => keep(name, v)).map(([, v]) => v);
}
