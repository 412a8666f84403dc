import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import { NntkError } from '../errors';
import { RegistrationLoader } from './registration-loader';
import { TfjsModuleGraph } from './tfjs-module-graph';

type Api = Record<string, unknown>;

/** The tfjs-core installations (their dist directories) this process has registered, across nntk copies. */
const LOADED = Symbol.for('@nntk/core.tfjsRegistrations');

function loadedDists(): Set<string> {
  const existing: unknown = Reflect.get(globalThis, LOADED);
  if (existing instanceof Set) return existing;
  const created = new Set<string>();
  Reflect.set(globalThis, LOADED, created);
  return created;
}

/**
 * The public API object of a tfjs-core namespace: in Node, `import * as tf` of tfjs-core's CommonJS main
 * holds only the names Node's CommonJS lexer detected; its `default` is the whole `module.exports`.
 */
function publicApi(tf: object): Api {
  const whole = Reflect.get(tf, 'default');
  return whole !== null &&
    typeof whole === 'object' &&
    Reflect.get(whole, 'Tensor') === Reflect.get(tf, 'Tensor')
    ? (whole as Api)
    : (tf as Api);
}

/** tfjs-core's `dist/` directory as resolved from here, the installation `tf` was imported from. */
function tfjsCoreDist(): string {
  let main: string;
  try {
    main = createRequire(import.meta.url).resolve('@tensorflow/tfjs-core');
  } catch (cause) {
    throw new NntkError(
      'BACKEND_NOT_INSTALLED',
      "@nntk/core cannot find @tensorflow/tfjs-core's files to register its gradients and chained ops from: " +
        'run `npm install @tensorflow/tfjs-core`; in a bundle without node_modules, import ' +
        "'@tensorflow/tfjs-core/dist/register_all_gradients' and " +
        "'@tensorflow/tfjs-core/dist/public/chained_ops/register_all_chained_ops' before @nntk/core",
      { cause },
    );
  }
  return `${dirname(main)}/`;
}

/**
 * Registers tfjs's gradients (`tf.grad`, `tf.variableGrads`) and chained tensor methods (`x.mul(y)`) on
 * the app's `@tensorflow/tfjs-core` in Node, as the `@tensorflow/tfjs` umbrella does, without bundling any
 * of tfjs-core: tfjs-core's Node entry (its CommonJS `main`) has neither, and the ES module files that do
 * cannot be imported by Node, so they are evaluated here from the app's own installation against its
 * public API. Once per process and installation; a part the app already registered (it imported
 * `@tensorflow/tfjs` or `tfjs-node`) is left alone.
 *
 * @param tf the namespace of `@tensorflow/tfjs-core` that nntk uses.
 * @returns which parts were registered now.
 */
export function loadTfjsRegistrations(tf: object): { gradients: boolean; chainedOps: boolean } {
  const api = publicApi(tf);
  const hasGradients = (api.getGradient as (name: string) => unknown)('Abs') !== undefined;
  const tensorClass = api.Tensor as { prototype: Record<string, unknown> };
  const hasChainedOps = typeof tensorClass.prototype.abs === 'function';
  const done = { gradients: false, chainedOps: false };
  if (hasGradients && hasChainedOps) return done;
  const dist = tfjsCoreDist();
  const loaded = loadedDists();
  if (loaded.has(dist)) return done;
  const loader = new RegistrationLoader(new TfjsModuleGraph(dist), api);
  if (!hasGradients) {
    loader.load('register_all_gradients.js');
    done.gradients = true;
  }
  if (!hasChainedOps) {
    loader.load('public/chained_ops/register_all_chained_ops.js');
    done.chainedOps = true;
  }
  loaded.add(dist);
  return done;
}
