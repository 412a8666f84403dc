#!/usr/bin/env node
// CI check: every public package but @nntk/cli bundles for the browser without a Node built-in.
// For each package under packages/ it bundles a tiny app that imports the package's public entry (the
// built dist, as an app's bundler sees it: esbuild, platform 'browser', tfjs included) and fails on any
// import of a Node built-in (`node:*`, fs, path, url, os, module, crypto, worker_threads, child_process,
// ...) or any other bundling error. One line per package; exit code 1 when any package fails.
//
// Usage: node scripts/check-browser-bundles.mjs [package-dir-name ...]   (after `pnpm build`)
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { join, relative } from 'node:path';
import { build } from 'esbuild';

const root = new URL('..', import.meta.url).pathname;
/** Node-only by design: the command line. */
const EXCLUDED = new Set(['@nntk/cli']);
const BUILTINS = new Set(builtinModules.flatMap((m) => [m, `node:${m}`]));

function isBuiltin(path) {
  return path.startsWith('node:') || BUILTINS.has(path) || BUILTINS.has(path.split('/')[0]);
}

/** Public packages under packages/ (optionally only the named directories). */
function packagesToCheck(only) {
  const dirs = readdirSync(join(root, 'packages')).filter((d) =>
    existsSync(join(root, 'packages', d, 'package.json')),
  );
  return dirs
    .filter((d) => only.length === 0 || only.includes(d))
    .map((d) => ({
      dir: join(root, 'packages', d),
      manifest: JSON.parse(readFileSync(join(root, 'packages', d, 'package.json'), 'utf8')),
    }))
    .filter(({ manifest }) => !manifest.private && !EXCLUDED.has(manifest.name));
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

/** Bundles `import * as m from '<name>'` from inside the package (a self-reference through its exports). */
async function check({ dir, manifest }) {
  if (!existsSync(join(dir, 'dist'))) return { ok: false, lines: ['not built (run pnpm build first)'] };
  const builtins = [];
  const result = await build({
    stdin: {
      contents: `import * as entry from '${manifest.name}';\nconsole.log(Object.keys(entry).length);\n`,
      resolveDir: dir,
      sourcefile: 'app.js',
    },
    bundle: true,
    write: false,
    platform: 'browser',
    format: 'esm',
    target: 'es2022',
    metafile: true,
    logLevel: 'silent',
    outfile: 'app.bundle.js',
    plugins: [
      {
        name: 'node-builtins',
        setup(b) {
          b.onResolve({ filter: /.*/ }, async ({ path, importer, resolveDir, kind, pluginData }) => {
            if (pluginData === 'inner' || !isBuiltin(path)) return undefined;
            // A package's `browser` field may map it away (tfjs-core: "util": false); that is fine.
            const resolved = await b.resolve(path, { importer, resolveDir, kind, pluginData: 'inner' });
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
  const bytes = result.outputFiles.reduce((n, f) => n + f.contents.length, 0);
  if (builtins.length > 0) return { ok: false, lines: summarise(builtins) };
  return { ok: true, lines: [`app bundle ${(bytes / 1024).toFixed(0)} KB (tfjs-core included)`] };
}

const packages = packagesToCheck(process.argv.slice(2));
let failed = 0;
for (const pkg of packages) {
  const { ok, lines } = await check(pkg);
  if (!ok) failed++;
  console.log(`${ok ? 'ok  ' : 'FAIL'} ${pkg.manifest.name}: ${lines[0]}`);
  for (const line of lines.slice(1)) console.log(`       ${line}`);
}
console.log(
  `${packages.length - failed}/${packages.length} packages bundle for the browser without Node built-ins`,
);
process.exit(failed > 0 ? 1 : 0);
