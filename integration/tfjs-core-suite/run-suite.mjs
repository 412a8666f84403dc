#!/usr/bin/env node
// tfjs-core's own jasmine tests on each backend, plain and with nntk's fixes, two runs at a time.
// Usage: node run-suite.mjs [cpu,wasm,webgpu] [--out summary.json]. Exit 1 if nntk breaks any spec.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildBundle, suiteDir } from './src/build.mjs';
import { compareRuns } from './src/compare.mjs';

/** Spec selection per backend: every spec on cpu and wasm (seconds); on webgpu tfjs's own subset. */
const SELECTION = { cpu: 'all', wasm: 'all', webgpu: 'tfjs' };

function runOnce(bundle, backend, withNntk, out, grep) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [join(suiteDir, 'src', 'runner.mjs'), bundle, out], {
      cwd: suiteDir,
      env: {
        ...process.env,
        SUITE_BACKEND: backend,
        SUITE_NNTK: withNntk ? '1' : '0',
        SUITE_SELECTION: process.env.SUITE_SELECTION ?? SELECTION[backend],
        NNTK_WASM_THREADS: '1',
        ...(grep ? { SUITE_GREP: grep } : {}),
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let log = '';
    child.stdout.on('data', (d) => (log += d));
    child.stderr.on('data', (d) => (log += d));
    child.on('error', reject);
    child.on('close', (code) => {
      if (code !== 0)
        reject(
          new Error(`${backend} ${withNntk ? 'with nntk' : 'plain'} exited ${code}:\n${log.slice(-3000)}`),
        );
      else resolve(JSON.parse(readFileSync(out, 'utf8')));
    });
  });
}

/** A pattern matching exactly these specs' full names. */
function exactNames(specs) {
  const literal = (name) => name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return `^(${specs.map((s) => literal(s.name)).join('|')})$`;
}

export async function runSuite(backends) {
  const bundle = await buildBundle();
  const dir = mkdtempSync(join(tmpdir(), 'tfjs-core-suite-'));
  try {
    const summaries = [];
    const both = (backend, tag, grep) =>
      Promise.all([
        runOnce(bundle, backend, false, join(dir, `${backend}-${tag}-plain.json`), grep),
        runOnce(bundle, backend, true, join(dir, `${backend}-${tag}-nntk.json`), grep),
      ]);
    for (const backend of backends) {
      const summary = compareRuns(backend, ...(await both(backend, 'all')));
      if (summary.broken.length > 0) {
        // A spec that depends on timing can fail once by chance: a break counts only if it repeats.
        const again = compareRuns(backend, ...(await both(backend, 'again', exactNames(summary.broken))));
        const repeated = new Set(again.broken.map((b) => b.name));
        summary.broken = summary.broken.filter((b) => repeated.has(b.name));
      }
      summaries.push(summary);
    }
    return summaries;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const args = process.argv.slice(2);
  const outAt = args.indexOf('--out');
  const out = outAt >= 0 ? args.splice(outAt, 2)[1] : undefined;
  const backends = (args[0] ?? 'cpu,wasm').split(',');
  const summaries = await runSuite(backends);
  for (const s of summaries) {
    console.log(
      `${s.backend}: ${s.specs} specs; plain ${s.passedPlain} passed, with nntk ${s.passedWithNntk}; ` +
        `fixed by nntk ${s.fixed.length}, broken by nntk ${s.broken.length}; ` +
        `tfjs's subset ${s.tfjsSubset} (failing plain ${s.tfjsSubsetFailingPlain}, with nntk ${s.tfjsSubsetFailingWithNntk})`,
    );
    for (const b of s.broken) console.log(`  broken: ${b.name}: ${b.message}`);
  }
  if (out) writeFileSync(out, `${JSON.stringify(summaries, null, 2)}\n`);
  process.exit(summaries.some((s) => s.broken.length || s.suiteFailures.length) ? 1 : 0);
}
