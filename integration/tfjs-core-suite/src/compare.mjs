// Compares a plain run with an nntk run of the same backend: what nntk fixes (fails plainly, passes with
// nntk), what it breaks (passes plainly, fails or does not run with nntk), on every spec and on the
// subset tfjs's backend package runs.
import { BACKEND_SPECS, selected } from './filters.mjs';

/**
 * @param {string} backend
 * @param {{ specs: Record<string, string>, failures: Record<string, string> }} plain
 * @param {{ specs: Record<string, string>, failures: Record<string, string> }} nntk
 */
export function compareRuns(backend, plain, nntk) {
  const spec = BACKEND_SPECS[backend];
  const fixed = [];
  const broken = [];
  for (const [name, status] of Object.entries(plain.specs)) {
    const after = nntk.specs[name];
    if (status === 'failed' && after === 'passed') fixed.push(name);
    if (status === 'passed' && after !== 'passed')
      broken.push({ name, message: nntk.failures[name] ?? 'did not run' });
  }
  const names = Object.keys(plain.specs);
  const tfjsSubset = names.filter((n) => selected(spec, n));
  return {
    backend,
    specs: names.length,
    passedPlain: names.filter((n) => plain.specs[n] === 'passed').length,
    passedWithNntk: Object.values(nntk.specs).filter((s) => s === 'passed').length,
    tfjsSubset: tfjsSubset.length,
    tfjsSubsetFailingPlain: tfjsSubset.filter((n) => plain.specs[n] !== 'passed').length,
    tfjsSubsetFailingWithNntk: tfjsSubset.filter((n) => nntk.specs[n] !== 'passed').length,
    fixed,
    broken,
    statusWithNntk: nntk.specs,
    suiteFailures: [
      ...Object.keys(plain.failures).filter((k) => k.startsWith('[suite]')),
      ...Object.keys(nntk.failures).filter((k) => k.startsWith('[suite]')),
    ],
  };
}
