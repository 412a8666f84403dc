// Evaluates tfjs-core's gradient and chained-op registration files (ES modules that Node cannot import:
// extensionless specifiers in a CommonJS package) from the app's own tfjs-core installation. Each file
// becomes a function (vm.compileFunction) whose imports are either another registration file, evaluated
// the same way, or a value of the app's tfjs-core public API: one engine, one kernel and gradient
// registry, one Tensor class, and no second copy of tfjs-core's internals.

import { pathToFileURL } from 'node:url';
import { compileFunction } from 'node:vm';
import { NntkError } from '../errors';
import { importedNames, resolveTfjsFile, type TfjsModuleGraph } from './tfjs-module-graph';

/**
 * Files evaluated from tfjs-core's dist (relative to it): the registrations themselves, and the backprop
 * ops the gradients call (`conv2DBackpropFilter`, `maxPoolGrad`, ...: thin `runKernel` wrappers that
 * tfjs-core does not export).
 */
const EVALUATED =
  /^(register_all_gradients\.js|gradients\/|public\/chained_ops\/|ops\/[a-z0-9_]+_(grad|backprop|backprop_filter|backprop_input)\.js$)/;

type Api = Record<string, unknown>;

/** Internal names the registration files import that the public API has under another form. */
const EQUIVALENTS: Record<string, Record<string, (tf: Api) => unknown>> = {
  // engine.ts: `export const ENGINE = getOrMakeEngine()`; the public `engine()` returns that object.
  'engine.js': { ENGINE: (tf) => (tf.engine as () => unknown)() },
  // tensor.ts: the Tensor class on tfjs's global; the app's `tf.Tensor` is that class.
  'tensor.js': { getGlobalTensorClass: (tf) => () => tf.Tensor },
  // Called by the evaluated pool backprop ops on the gradient's own tensors (a Tensor is returned as is,
  // as tfjs's does); anything else becomes a tensor through the public `tf.tensor`.
  'tensor_util_env.js': {
    convertToTensor: (tf) => (x: unknown) =>
      x instanceof (tf.Tensor as abstract new () => unknown) ? x : (tf.tensor as (v: unknown) => unknown)(x),
  },
  // ops.ts exports these inside its `image` object, not by name.
  'ops/image/resize_bilinear.js': { resizeBilinear: (tf) => (tf.image as Api).resizeBilinear },
  'ops/image/resize_nearest_neighbor.js': {
    resizeNearestNeighbor: (tf) => (tf.image as Api).resizeNearestNeighbor,
  },
};

type Edit = { start: number; end: number; text: string };

/** Loads registration files of one tfjs-core installation against its public API object. */
export class RegistrationLoader {
  private readonly modules = new Map<string, Api>();

  constructor(
    private readonly graph: TfjsModuleGraph,
    private readonly tf: Api,
  ) {}

  /** Evaluates `file` (relative to tfjs-core's dist) and what it imports, once each; returns its exports. */
  load(relative: string): Api {
    return this.evaluate(`${this.graph.dist}${relative}`);
  }

  private evaluate(file: string): Api {
    const loaded = this.modules.get(file);
    if (loaded) return loaded;
    const exports: Api = {};
    this.modules.set(file, exports);
    const values: unknown[] = [];
    const body = this.transform(file, values);
    const run = compileFunction(body, ['__nntkImport', '__nntkExports', '__nntkValues'], {
      filename: pathToFileURL(file).href,
    });
    run((target: string) => this.evaluate(target), exports, values);
    return exports;
  }

  /** The module's source as a function body: imports become reads, exports writes to `__nntkExports`. */
  private transform(file: string, values: unknown[]): string {
    const info = this.graph.info(file);
    const relative = file.slice(this.graph.dist.length);
    // `export ` before a declaration and local `export { a as b };` lists become blanks of the same length,
    // so the lexer's offsets stay valid; the exports are assigned at the end instead.
    let source = info.source
      .replace(/^export\s+(?=(?:const|let|var|function|class|async\s+function)\b)/gm, (s) =>
        ' '.repeat(s.length),
      )
      .replace(/^export\s*\{[^}]*\}(?!\s*from)\s*;?/gm, (s) => s.replace(/[^\n]/g, ' '));
    const edits: Edit[] = [];
    const value = (v: unknown) => `__nntkValues[${values.push(v) - 1}]`;
    for (const entry of info.imports) {
      const specifier = entry.n;
      if (entry.d !== -1 || specifier === undefined || !specifier.startsWith('.'))
        throw this.unsupported(
          relative,
          `a ${entry.d === -1 ? `non-relative import of ${specifier}` : 'dynamic import'}`,
        );
      const target = resolveTfjsFile(file, specifier);
      const statement = info.source.slice(entry.ss, entry.se).replace(/\s+/g, ' ');
      const text = this.importStatement(relative, target, statement, value);
      edits.push({ start: entry.ss, end: entry.se, text });
    }
    for (const edit of edits.sort((a, b) => b.start - a.start))
      source = source.slice(0, edit.start) + edit.text + source.slice(edit.end);
    const local = info.exports.filter((e) => e.ln !== undefined && !info.forwarded.has(e.n));
    if (info.exports.some((e) => e.n === 'default')) throw this.unsupported(relative, 'a default export');
    const assign = local.map((e) => `${JSON.stringify(e.n)}: ${e.ln}`).join(', ');
    source = source.replace(/\n\/\/# sourceMappingURL=data:[^\n]*/, '');
    return `'use strict';\n${source}\n;Object.assign(__nntkExports, { ${assign} });\n`;
  }

  private importStatement(
    relative: string,
    target: string,
    statement: string,
    value: (v: unknown) => string,
  ): string {
    const evaluated = EVALUATED.test(target.slice(this.graph.dist.length));
    const module = () => `__nntkImport(${JSON.stringify(target)})`;
    const named = /^(import|export) \{([^}]*)\} from/.exec(statement);
    const namespace = /^import \* as ([\w$]+) from/.exec(statement);
    if (/^import ["']/.test(statement)) {
      if (!evaluated) throw this.unsupported(relative, `a side-effect import of ${target}`);
      return `${module()};`;
    }
    if (namespace) {
      const ns = evaluated ? module() : value(this.publicNamespace(relative, target));
      return `const ${namespace[1]} = ${ns};`;
    }
    if (!named) throw this.unsupported(relative, `the import \`${statement}\``);
    const reexport = named[1] === 'export';
    return importedNames(named[2])
      .map(([name, alias]) => {
        const read = evaluated
          ? `${module()}[${JSON.stringify(name)}]`
          : value(this.publicValue(relative, target, name));
        return reexport ? `__nntkExports[${JSON.stringify(alias)}] = ${read};` : `const ${alias} = ${read};`;
      })
      .join(' ');
  }

  /**
   * A module's namespace from the public API: the public object of the whole module (`util`), or one made
   * of the public value of each of its exports (`ops/conv_util.js`, spread over `backend_util`).
   */
  private publicNamespace(relative: string, target: string): unknown {
    if (this.graph.publicPath(target) !== undefined) return this.publicValue(relative, target);
    const names = [...this.graph.exportOrigins(target).keys()].filter((name) => name !== 'default');
    return Object.freeze(
      Object.fromEntries(names.map((name) => [name, this.publicValue(relative, target, name)])),
    );
  }

  /** The app's public value of `name` exported by `target` (or of the whole module without `name`). */
  private publicValue(relative: string, target: string, name?: string): unknown {
    const targetRelative = target.slice(this.graph.dist.length);
    const equivalent = name === undefined ? undefined : EQUIVALENTS[targetRelative]?.[name];
    if (equivalent) return equivalent(this.tf);
    const path = this.graph.publicPath(target, name);
    const found = path
      ?.split('.')
      .reduce<unknown>((o, key) => (o == null ? undefined : Reflect.get(Object(o), key)), this.tf);
    if (found === undefined)
      throw this.unsupported(
        relative,
        `${name ?? 'the module'} from ${targetRelative}, which @tensorflow/tfjs-core's public API does not export`,
      );
    return found;
  }

  private unsupported(relative: string, what: string): NntkError {
    return new NntkError(
      'UNSUPPORTED',
      `@nntk/core cannot load tfjs-core's ${relative}: it has ${what}. nntk supports @tensorflow/tfjs-core 4.x; ` +
        "import '@tensorflow/tfjs-core/dist/register_all_gradients' and its chained ops yourself (a bundler can), or report the tfjs-core version",
    );
  }
}
