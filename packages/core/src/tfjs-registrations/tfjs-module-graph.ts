// The import/export graph of tfjs-core's ES module files (its dist/*.js), read with es-module-lexer: which
// file defines each exported name, and under which path the package's public API (`tf.mul`,
// `tf.util.sizeFromShape`, `tf.backend_util.computeConv2DInfo`) exposes it.
import { readFileSync, statSync } from 'node:fs';
import { dirname, resolve as resolvePath } from 'node:path';
import { initSync, parse } from 'es-module-lexer';
import { NntkError } from '../errors';

/** Where an exported name comes from: a name defined in a file, or the namespace of a whole module. */
export type Origin = { file: string; name: string } | { namespace: string };

/** What a module imports, exports and forwards, by statement. */
export interface ModuleInfo {
  source: string;
  imports: ReturnType<typeof parse>[0];
  exports: ReturnType<typeof parse>[1];
  /** `import { a as b } from './x'`: local name -> origin. */
  named: Map<string, { file: string; name: string }>;
  /** `import * as x from './y'`: local name -> file. */
  namespaces: Map<string, string>;
  /** `export { a as b } from './x'`: exported name -> origin. */
  forwarded: Map<string, { file: string; name: string }>;
  /** `export * from './x'`. */
  stars: string[];
}

const resolved = new Map<string, string>();

/** The file a relative specifier of tfjs's (extensionless, as tsc wrote it) names. */
export function resolveTfjsFile(from: string, specifier: string): string {
  const base = resolvePath(dirname(from), specifier);
  const known = resolved.get(base);
  if (known) return known;
  for (const candidate of [`${base}.js`, base, `${base}/index.js`]) {
    if (statSync(candidate, { throwIfNoEntry: false })?.isFile()) {
      resolved.set(base, candidate);
      return candidate;
    }
  }
  throw new NntkError(
    'UNSUPPORTED',
    `@tensorflow/tfjs-core: cannot find ${specifier}, imported by ${from}; reinstall @tensorflow/tfjs-core (4.x)`,
  );
}

/** `a, b as c` -> [[a, a], [b, c]]. */
export function importedNames(list: string): [string, string][] {
  return list
    .split(',')
    .map((part) => part.trim())
    .filter(Boolean)
    .map((part) => {
      const [name, alias] = part.split(/\s+as\s+/);
      return [name.trim(), (alias ?? name).trim()];
    });
}

/** The import/export graph of one tfjs-core installation, read lazily and cached per file. */
export class TfjsModuleGraph {
  private readonly infos = new Map<string, ModuleInfo>();
  private readonly origins = new Map<string, Map<string, Origin>>();
  private paths: Map<string, string> | undefined;

  /** @param dist tfjs-core's `dist/` directory, with its trailing slash. */
  constructor(readonly dist: string) {
    initSync();
  }

  info(file: string): ModuleInfo {
    const cached = this.infos.get(file);
    if (cached) return cached;
    const source = readFileSync(file, 'utf8');
    const [imports, exports] = parse(source, file);
    const info: ModuleInfo = {
      source,
      imports,
      exports,
      named: new Map(),
      namespaces: new Map(),
      forwarded: new Map(),
      stars: [],
    };
    for (const entry of imports) {
      if (entry.d !== -1 || !entry.n?.startsWith('.')) continue;
      const target = resolveTfjsFile(file, entry.n);
      const statement = source.slice(entry.ss, entry.se).replace(/\s+/g, ' ');
      const forwarded = /^export \{([^}]*)\} from/.exec(statement);
      const namespace = /^import \* as ([\w$]+) from/.exec(statement);
      const named = /^import \{([^}]*)\} from/.exec(statement);
      if (/^export \* from/.test(statement)) info.stars.push(target);
      else if (forwarded)
        for (const [name, alias] of importedNames(forwarded[1]))
          info.forwarded.set(alias, { file: target, name });
      else if (namespace) info.namespaces.set(namespace[1], target);
      else if (named)
        for (const [name, alias] of importedNames(named[1])) info.named.set(alias, { file: target, name });
    }
    this.infos.set(file, info);
    return info;
  }

  /** Every name a module exports (through `export *` too), each traced to where it is defined. */
  exportOrigins(file: string, seen = new Set<string>()): Map<string, Origin> {
    const cached = this.origins.get(file);
    if (cached) return cached;
    const out = new Map<string, Origin>();
    if (seen.has(file)) return out;
    seen.add(file);
    const info = this.info(file);
    for (const star of info.stars)
      for (const [name, origin] of this.exportOrigins(star, seen)) if (!out.has(name)) out.set(name, origin);
    for (const { n: name } of info.exports) {
      const link = info.forwarded.get(name) ?? info.named.get(name);
      const namespace = info.namespaces.get(name);
      if (link) out.set(name, this.exportOrigins(link.file).get(link.name) ?? link);
      else if (namespace) out.set(name, { namespace });
      else out.set(name, { file, name });
    }
    this.origins.set(file, out);
    return out;
  }

  /**
   * The public path of `name` as exported by `file` (`mul`, `util.sizeFromShape`), or of the whole
   * module with `name` undefined (`util`, `backend_util`); undefined when tfjs-core does not export it.
   */
  publicPath(file: string, name?: string): string | undefined {
    const paths = this.publicPaths();
    if (name === undefined) return paths.get(`*${file}`);
    const origin = this.exportOrigins(file).get(name);
    if (!origin) return undefined;
    return paths.get('namespace' in origin ? `*${origin.namespace}` : `${origin.file}#${origin.name}`);
  }

  /** `file#name` and `*file` (a module namespace) -> path in the public API, from `base.js` down. */
  private publicPaths(): Map<string, string> {
    if (this.paths) return this.paths;
    const paths = new Map<string, string>();
    const walk = (file: string, prefix: string, depth: number) => {
      for (const [name, origin] of this.exportOrigins(file)) {
        const path = prefix ? `${prefix}.${name}` : name;
        if ('namespace' in origin) {
          if (!paths.has(`*${origin.namespace}`)) paths.set(`*${origin.namespace}`, path);
          if (depth < 2) walk(origin.namespace, path, depth + 1);
        } else if (!paths.has(`${origin.file}#${origin.name}`))
          paths.set(`${origin.file}#${origin.name}`, path);
      }
    };
    walk(`${this.dist}base.js`, '', 0);
    this.paths = paths;
    return paths;
  }
}
