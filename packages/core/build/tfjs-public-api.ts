// Build plugin for @nntk/core's Node entry (dist/node.*): registers tfjs's gradients and chained ops
// against the app's own @tensorflow/tfjs-core, with no copy of tfjs-core's engine, tensor or registries.
//
// Why anything of tfjs is bundled at all: tfjs-core's Node entry (its `main`, the CJS bundle
// dist/tf-core.node.js) holds neither the gradient configs nor the chained tensor methods, and the ESM
// files that do (dist/register_all_gradients.js, dist/public/chained_ops/*) cannot be loaded by Node
// (CommonJS package, extensionless imports). The @tensorflow/tfjs umbrella's Node bundle copies the whole
// of tfjs-core's sources for them. This plugin bundles only those registration files (and the few
// internal backprop ops they call, which tfjs-core does not export), and turns every other import they
// make (ops, kernel names, util, the engine, the Tensor class) into a read of the public API of
// `@tensorflow/tfjs-core`, kept external: one engine, one kernel and gradient registry, the app's.
// A name that is neither public nor bundleable fails the build, so a tfjs upgrade cannot slip a copy in.
import { readFileSync, statSync } from 'node:fs';
import { dirname, resolve as resolvePath } from 'node:path';
import { init, parse } from 'es-module-lexer';
import type { Options } from 'tsup';

type Plugin = NonNullable<Options['esbuildPlugins']>[number];

/** A module's export: another module's export it forwards, a namespace of a module, or its own. */
type Origin = { file: string; name: string } | { namespace: string };

interface ModuleInfo {
  exports: Set<string>;
  /** `import { a as b } from './x'`: local name -> origin. */
  named: Map<string, { file: string; name: string }>;
  /** `import * as x from './y'`: local name -> file. */
  namespaces: Map<string, string>;
  /** `export { a as b } from './x'`: exported name -> origin. */
  forwarded: Map<string, { file: string; name: string }>;
  /** `export * from './x'`. */
  stars: string[];
}

/** Internal tfjs names the registration files use that have a public equivalent under another name. */
const EQUIVALENTS: Record<string, Record<string, string>> = {
  // engine.ts: `export const ENGINE = getOrMakeEngine()`; the public `engine()` returns that object.
  'engine.js': { ENGINE: 'tf.engine()' },
  // tensor.ts: the Tensor class on tfjs's global; the app's `tf.Tensor` is that class.
  'tensor.js': { getGlobalTensorClass: '() => tf.Tensor' },
  // Called by the bundled pool backprop ops on the gradient's own tensors (a Tensor is returned as is,
  // as tfjs's does); a tensor-like value becomes a tensor through the public `tf.tensor`.
  'tensor_util_env.js': { convertToTensor: '(x) => (x instanceof tf.Tensor ? x : tf.tensor(x))' },
  // ops.ts exports these inside its `image` object, not by name.
  'ops/image/resize_bilinear.js': { resizeBilinear: 'tf.image.resizeBilinear' },
  'ops/image/resize_nearest_neighbor.js': { resizeNearestNeighbor: 'tf.image.resizeNearestNeighbor' },
};

/**
 * Files of tfjs-core that are bundled: the registrations themselves, and the backprop ops the gradients
 * call (`conv2DBackpropFilter`, `maxPoolGrad`, ...: thin `runKernel` wrappers tfjs-core does not export).
 */
const BUNDLED =
  /\/dist\/(register_all_gradients\.js|gradients\/|public\/chained_ops\/|ops\/[a-z0-9_]+_(grad|backprop|backprop_filter|backprop_input)\.js$)/;

function resolveFile(from: string, specifier: string): string {
  const base = resolvePath(dirname(from), specifier);
  for (const candidate of [base, `${base}.js`, `${base}/index.js`]) {
    try {
      if (statSync(candidate).isFile()) return candidate;
    } catch {}
  }
  throw new Error(`tfjs-public-api: cannot resolve ${specifier} from ${from}`);
}

function names(list: string): [string, string][] {
  return list
    .split(',')
    .map((part) => part.trim())
    .filter(Boolean)
    .map((part) => {
      const [name, alias] = part.split(/\s+as\s+/);
      return [name.trim(), (alias ?? name).trim()];
    });
}

const infos = new Map<string, ModuleInfo>();

function moduleInfo(file: string): ModuleInfo {
  const cached = infos.get(file);
  if (cached) return cached;
  const source = readFileSync(file, 'utf8');
  const [imports, exports] = parse(source);
  const info: ModuleInfo = {
    exports: new Set(exports.map((e) => e.n)),
    named: new Map(),
    namespaces: new Map(),
    forwarded: new Map(),
    stars: [],
  };
  for (const entry of imports) {
    if (entry.d !== -1 || !entry.n?.startsWith('.')) continue;
    const target = resolveFile(file, entry.n);
    const statement = source.slice(entry.ss, entry.se).replace(/\s+/g, ' ');
    const forwarded = /^export \{([^}]*)\} from/.exec(statement);
    const namespace = /^import \* as (\w+) from/.exec(statement);
    const named = /^import \{([^}]*)\} from/.exec(statement);
    if (/^export \* from/.test(statement)) info.stars.push(target);
    else if (forwarded)
      for (const [name, alias] of names(forwarded[1])) info.forwarded.set(alias, { file: target, name });
    else if (namespace) info.namespaces.set(namespace[1], target);
    else if (named)
      for (const [name, alias] of names(named[1])) info.named.set(alias, { file: target, name });
  }
  infos.set(file, info);
  return info;
}

/** Every name a module exports (through `export *` too), each traced to where it is defined. */
function exportOrigins(file: string, seen = new Set<string>()): Map<string, Origin> {
  const out = new Map<string, Origin>();
  if (seen.has(file)) return out;
  seen.add(file);
  const info = moduleInfo(file);
  for (const star of info.stars)
    for (const [name, origin] of exportOrigins(star, seen)) if (!out.has(name)) out.set(name, origin);
  for (const name of info.exports) {
    const link = info.forwarded.get(name) ?? info.named.get(name);
    const namespace = info.namespaces.get(name);
    if (link) out.set(name, exportOrigins(link.file).get(link.name) ?? link);
    else if (namespace) out.set(name, { namespace });
    else out.set(name, { file, name });
  }
  return out;
}

/**
 * `file#name` -> its path in the public API (`mul`, `util.sizeFromShape`, `backend_util.computeConv2DInfo`),
 * `*file` -> the public namespace object of a whole module (`util`, `backend_util`).
 */
function publicPaths(dist: string): Map<string, string> {
  const paths = new Map<string, string>();
  const walk = (file: string, prefix: string, depth: number) => {
    for (const [name, origin] of exportOrigins(file)) {
      const path = prefix ? `${prefix}.${name}` : name;
      if ('namespace' in origin) {
        if (!paths.has(`*${origin.namespace}`)) paths.set(`*${origin.namespace}`, path);
        if (depth < 2) walk(origin.namespace, path, depth + 1);
      } else if (!paths.has(`${origin.file}#${origin.name}`))
        paths.set(`${origin.file}#${origin.name}`, path);
    }
  };
  walk(`${dist}base.js`, '', 0);
  return paths;
}

/** The esbuild plugin (for tsup's `esbuildPlugins`), with the registration modules in `noExternal`. */
export function tfjsPublicApi(): Plugin {
  let paths: Map<string, string> | undefined;
  let dist = '';
  const publicPath = (file: string, name: string): string | undefined => {
    const relative = file.slice(dist.length);
    const equivalent = EQUIVALENTS[relative]?.[name];
    if (equivalent) return equivalent;
    const origin = exportOrigins(file).get(name);
    if (!origin) return undefined;
    const path = paths?.get('namespace' in origin ? `*${origin.namespace}` : `${origin.file}#${origin.name}`);
    return path === undefined ? undefined : `tf.${path}`;
  };
  return {
    name: 'nntk-tfjs-public-api',
    setup(build) {
      build.onStart(async () => {
        await init;
      });
      // Relative imports between tfjs-core's own files.
      build.onResolve({ filter: /^\./ }, ({ path, importer }) => {
        const at = importer.indexOf('/@tensorflow/tfjs-core/dist/');
        if (at < 0) return undefined;
        dist = importer.slice(0, at + '/@tensorflow/tfjs-core/dist/'.length);
        paths ??= publicPaths(dist);
        const file = resolveFile(importer, path);
        const importerInfo = moduleInfo(importer);
        const wanted = [...importerInfo.named.values()].filter((n) => n.file === file).map((n) => n.name);
        const asNamespace = [...importerInfo.namespaces.values()].includes(file);
        const exported = [...exportOrigins(file).keys()].filter((name) => name !== 'default');
        const needed = asNamespace ? exported : wanted;
        const mapped = needed.map((name) => [name, publicPath(file, name)] as const);
        const allPublic = mapped.every(([, p]) => p !== undefined) && (asNamespace || wanted.length > 0);
        if (allPublic && !BUNDLED.test(file)) {
          const lines = mapped.map(([name, p]) => `export const ${name} = ${p};`);
          return {
            path: `${file.slice(dist.length)}?${needed.join(',')}`,
            namespace: 'tfjs-public',
            pluginData: `import * as tf from '@tensorflow/tfjs-core';\n${lines.join('\n')}\n`,
          };
        }
        if (!BUNDLED.test(file)) {
          const missing = mapped.filter(([, p]) => p === undefined).map(([n]) => n);
          throw new Error(
            `tfjs-public-api: ${importer.slice(dist.length)} imports ${missing.join(', ')} from ${file.slice(dist.length)}, which @tensorflow/tfjs-core does not export; add an equivalent or allow the file`,
          );
        }
        return { path: file };
      });
      build.onLoad({ filter: /.*/, namespace: 'tfjs-public' }, ({ pluginData }) => ({
        contents: String(pluginData),
        loader: 'js',
        resolveDir: dist,
      }));
    },
  };
}
