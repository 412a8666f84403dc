// Module resolve hook for running nntk from its TypeScript sources (`pnpm nntk`, see scripts/nntk.mjs):
// @tensorflow/tfjs-core's ESM files import each other without file extensions (`./gradients/Abs_grad`),
// which bundlers accept and Node does not. When Node cannot resolve such an import inside
// @tensorflow/*, it is retried with `.js` and `/index.js`, as a bundler would. The published packages
// bundle these files instead (packages/core/tsup.config.ts), so this is only for source runs.
const RETRY = new Set(['ERR_MODULE_NOT_FOUND', 'ERR_UNSUPPORTED_DIR_IMPORT']);

export async function resolve(specifier, context, nextResolve) {
  // Relative imports between tfjs's own files: `.js` first (the common case, no failed lookup).
  const inTfjs = /@tensorflow\/tfjs-[^/]+\/dist\//.test(context.parentURL ?? '');
  if (inTfjs && specifier.startsWith('.') && !/\.[cm]?js$/.test(specifier)) {
    try {
      return await nextResolve(`${specifier}.js`, context);
    } catch {}
  }
  try {
    return await nextResolve(specifier, context);
  } catch (error) {
    const tfjs = /@tensorflow\/tfjs-/.test(`${context.parentURL ?? ''} ${specifier}`);
    if (!tfjs || !RETRY.has(error?.code) || /\.[cm]?js$/.test(specifier)) throw error;
    for (const suffix of ['.js', '/index.js']) {
      try {
        return await nextResolve(`${specifier}${suffix}`, context);
      } catch {}
    }
    throw error;
  }
}
