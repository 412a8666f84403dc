// Bundles tfjs-core's compiled jasmine tests (dist/**/*_test.js: ESM with extensionless imports, which
// Node cannot load as they are) behind setup.mjs into one ES module. Backend packages stay outside the
// bundle: they are loaded by name at run time, as nntk's useBackend loads them.
import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const here = dirname(fileURLToPath(import.meta.url));
export const suiteDir = join(here, '..');
/** Under node_modules (ignored by git), so package names resolve from the suite's own dependencies. */
export const bundlePath = join(suiteDir, 'node_modules', '.cache', 'tfjs-core-suite', 'bundle.mjs');

export async function buildBundle() {
  mkdirSync(dirname(bundlePath), { recursive: true });
  const result = await build({
    stdin: {
      contents: "import './setup.mjs';\nimport '@tensorflow/tfjs-core/dist/tests';\n",
      resolveDir: here,
      sourcefile: 'entry.mjs',
    },
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    outfile: bundlePath,
    // tfjs-core's ES modules (its `module` entry), so the tests and nntk share one copy of the engine code.
    mainFields: ['module', 'main'],
    conditions: ['@nntk/source'],
    external: ['jasmine-core', '@tensorflow/tfjs-backend-*', 'webgpu'],
    // jasmine_util.js calls require() inside an ES module. An alias: bundled modules (nntk's Node entry)
    // import createRequire themselves, and esbuild keeps Node built-in imports as they are.
    banner: {
      js: "import { createRequire as suiteCreateRequire } from 'node:module'; const require = suiteCreateRequire(import.meta.url);",
    },
    // tfjs-core's package.json lists its test files as free of side effects; they are nothing but.
    ignoreAnnotations: true,
    logLevel: 'error',
    logOverride: { 'unsupported-dynamic-import': 'silent' },
  });
  if (result.errors.length) throw new Error(result.errors.map((e) => e.text).join('\n'));
  return bundlePath;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) console.log(await buildBundle());
