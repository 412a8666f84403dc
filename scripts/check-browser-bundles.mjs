#!/usr/bin/env node
// CI check: every public package but @nntk/cli bundles for the browser without a Node built-in.
// For each package under packages/ it bundles a tiny app that imports the package's public entry (the
// built dist, as an app's bundler sees it: esbuild, platform 'browser', tfjs included) and fails on any
// import of a Node built-in (`node:*`, fs, path, url, os, module, crypto, worker_threads, child_process,
// ...) or any other bundling error. One line per package; exit code 1 when any package fails.
//
// Usage: node scripts/check-browser-bundles.mjs [package-dir-name ...]   (after `pnpm build`)
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { bundleForBrowser } from './lib/browser-bundle.mjs';

const root = new URL('..', import.meta.url).pathname;
/** Node-only by design: the command line. */
const EXCLUDED = new Set(['@nntk/cli']);

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

/** Bundles the package's entry from inside it (a self-reference through its exports). */
function check({ dir, manifest }) {
  if (!existsSync(join(dir, 'dist'))) return { ok: false, lines: ['not built (run pnpm build first)'] };
  return bundleForBrowser(manifest.name, dir, root);
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
