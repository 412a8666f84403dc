// Bundles an app importing one package as a browser app's bundler does (esbuild, platform 'browser',
// dependencies included) and reports every Node built-in it reaches. Used by
// scripts/check-browser-bundles.mjs (the workspace's builds) and the packaging test (packed tarballs).
import { builtinModules } from 'node:module';
import { relative } from 'node:path';
import { build } from 'esbuild';

const BUILTINS = new Set(builtinModules.flatMap((m) => [m, `node:${m}`]));

function isBuiltin(path) {
  return path.startsWith('node:') || BUILTINS.has(path) || BUILTINS.has(path.split('/')[0]);
}

/** One line per built-in: the first file importing it, and how many others do. */
function summarise(builtins) {
  const byName = new Map();
  for (const { name, importer } of builtins) byName.set(name, [...(byName.get(name) ?? []), importer]);
  return [...byName].map(([name, importers]) => {
    const others = new Set(importers).size - 1;
    return `imports ${JSON.stringify(name)} (from ${importers[0]}${others > 0 ? ` and ${others} other files` : ''})`;
  });
}

/**
 * Bundles `import * as entry from '<name>'`, resolved from `resolveDir` (inside the package itself, a
 * self-reference through its exports, or a project that installed it). `ok` is false on any Node
 * built-in (one not mapped away by a package's `browser` field) or bundling error; `lines` says which.
 */
export async function bundleForBrowser(name, resolveDir, root = resolveDir) {
  const builtins = [];
  const result = await build({
    stdin: {
      contents: `import * as entry from '${name}';\nconsole.log(Object.keys(entry).length);\n`,
      resolveDir,
      sourcefile: 'app.js',
    },
    bundle: true,
    write: false,
    platform: 'browser',
    format: 'esm',
    target: 'es2022',
    logLevel: 'silent',
    outfile: 'app.bundle.js',
    plugins: [
      {
        name: 'node-builtins',
        setup(b) {
          b.onResolve({ filter: /.*/ }, async ({ path, importer, resolveDir: dir, kind, pluginData }) => {
            if (pluginData === 'inner' || !isBuiltin(path)) return undefined;
            // A package's `browser` field may map it away (tfjs-core: "util": false); that is fine.
            const resolved = await b.resolve(path, { importer, resolveDir: dir, kind, pluginData: 'inner' });
            if (resolved.errors.length === 0)
              return resolved.namespace === '' ? { path, namespace: 'disabled-by-browser-field' } : resolved;
            builtins.push({ name: path, importer: relative(root, importer) || importer });
            return { path, external: true };
          });
          b.onLoad({ filter: /.*/, namespace: 'disabled-by-browser-field' }, () => ({ contents: '' }));
        },
      },
    ],
  }).catch((error) => ({ error }));
  if (result.error) {
    const messages = result.error.errors?.map(
      (e) => `${e.text}${e.location ? ` (${e.location.file}:${e.location.line})` : ''}`,
    );
    return { ok: false, lines: [...summarise(builtins), ...new Set(messages ?? [String(result.error)])] };
  }
  if (builtins.length > 0) return { ok: false, lines: summarise(builtins) };
  const bytes = result.outputFiles.reduce((n, f) => n + f.contents.length, 0);
  return { ok: true, bytes, lines: [`app bundle ${(bytes / 1024).toFixed(0)} KB (tfjs-core included)`] };
}
