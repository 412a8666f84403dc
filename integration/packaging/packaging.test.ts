import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { bundleForBrowser } from '../../scripts/lib/browser-bundle.mjs';
import { npmInstall, publicPackages, run, scratchProject, workspace } from './lib/workspace';

const smokeDir = new URL('./smoke/', import.meta.url).pathname;
const TFJS = '4.22.0';

/** A scratch third-party project with `packages` installed by npm, as a user would. */
function installProject(project: string, packages: string[]): void {
  scratchProject(project);
  npmInstall(project, packages);
}

it('depends on every public package, so turbo builds all that this test packs', () => {
  const manifest = JSON.parse(readFileSync(join(workspace, 'integration/packaging/package.json'), 'utf8'));
  const listed = Object.keys(manifest.devDependencies ?? {});
  const missing = publicPackages()
    .map((p) => p.name)
    .filter((name) => !listed.includes(name));
  expect(missing, 'add them to integration/packaging devDependencies as "workspace:*"').toEqual([]);
});

describe('packed tarballs installed outside the workspace', () => {
  let scratch: string;
  const tarballs = inject('tarballs');

  beforeAll(() => {
    scratch = mkdtempSync(join(tmpdir(), 'nntk-pack-'));
    installProject(join(scratch, 'app'), [
      ...Object.values(tarballs),
      `@tensorflow/tfjs-core@${TFJS}`,
      `@tensorflow/tfjs-backend-cpu@${TFJS}`,
      `@tensorflow/tfjs-backend-wasm@${TFJS}`,
    ]);
  });

  afterAll(() => {
    if (scratch) rmSync(scratch, { recursive: true, force: true });
  });

  it('packs every public package with dist, README and no sources', () => {
    for (const [name, tarball] of Object.entries(tarballs)) {
      const files = run('tar', ['-tzf', tarball], scratch);
      expect(files, name).toContain('package/dist/index.js');
      expect(files, name).toContain('package/dist/index.cjs');
      expect(files, name).toContain('package/dist/index.d.ts');
      expect(files, name).toContain('package/README.md');
      expect(files, name).not.toContain('package/src/');
      const manifest = JSON.parse(run('tar', ['-xzOf', tarball, 'package/package.json'], scratch));
      expect(JSON.stringify(manifest.exports), name).not.toContain('@nntk/source');
      expect(JSON.stringify(manifest), name).not.toContain('workspace:');
    }
  });

  it("every package's types import tfjs's chained-op declarations; @nntk/cli ships its example configs", () => {
    for (const [name, tarball] of Object.entries(tarballs)) {
      if (name === '@nntk/cli') continue; // a command: no declarations
      const types = run('tar', ['-xzOf', tarball, 'package/dist/index.d.ts'], scratch);
      expect(types, name).toContain(
        "import '@tensorflow/tfjs-core/dist/public/chained_ops/register_all_chained_ops.js';",
      );
    }
    const cli = run('tar', ['-tzf', tarballs['@nntk/cli']], scratch);
    expect(cli).toContain('package/configs/fashion-mlp.json');
  });

  it('@nntk/optim works in a project that installs only it (and what it depends on) with tfjs', () => {
    const project = join(scratch, 'optim-only');
    installProject(project, [
      tarballs['@nntk/optim'],
      tarballs['@nntk/core'],
      `@tensorflow/tfjs-core@${TFJS}`,
      `@tensorflow/tfjs-backend-cpu@${TFJS}`,
    ]);
    const installed = readdirSync(join(project, 'node_modules', '@nntk')).sort();
    expect(installed).toEqual(['core', 'optim']);
    for (const file of ['optim.mjs', 'optim.cjs']) {
      writeFileSync(join(project, file), readFileSync(join(smokeDir, file)));
      expect(run('node', [file], project)).toMatch(/ok/);
    }
    // Without @nntk/backend-wasm (an optional peer of core), useBackend('wasm') says what to install.
    writeFileSync(
      join(project, 'no-wasm.mjs'),
      [
        "import { NntkError, useBackend } from '@nntk/core';",
        "const error = await useBackend('wasm').then(() => undefined, (e) => e);",
        "if (!NntkError.isInstance(error) || error.code !== 'BACKEND_NOT_INSTALLED') throw error ?? new Error('no error');",
        'console.log(error.message);',
      ].join('\n'),
    );
    expect(run('node', ['no-wasm.mjs'], project)).toContain('npm install @nntk/backend-wasm');
  });

  // trainer and runs join this list once their Node-only parts are behind `node` conditions too (issue
  // 17; scripts/check-browser-bundles.mjs, run by CI after the build, checks every package but cli).
  const BROWSER_CLEAN = [
    'core',
    'datasets',
    'initializers',
    'layers',
    'metrics',
    'optim',
    'pruning',
    'regularizers',
    'schedulers',
  ];

  it('the installed packages bundle for the browser (no Node built-in); Node gets the file functions too', async () => {
    const project = join(scratch, 'app');
    for (const name of BROWSER_CLEAN.map((p) => `@nntk/${p}`)) {
      const { ok, lines } = await bundleForBrowser(name, project);
      expect(ok, `${name}: ${lines.join('; ')}`).toBe(true);
    }
    const script = [
      "const core = await import('@nntk/core');",
      "const coreNode = await import('@nntk/core/node');",
      "const data = await import('@nntk/datasets');",
      'console.log(typeof core.saveSafetensors, core.saveSafetensors === coreNode.saveSafetensors,',
      '  typeof data.fashionMnist, typeof data.fashionMnistFromBuffers);',
    ].join('\n');
    expect(run('node', ['--input-type=module', '-e', script], project).trim()).toBe(
      'function true function function',
    );
  });

  for (const file of readdirSync(smokeDir)) {
    it(`runs ${file} against the installed packages`, () => {
      const project = join(scratch, 'app');
      writeFileSync(join(project, file), readFileSync(join(smokeDir, file)));
      const output = run('node', [file], project);
      expect(output).toMatch(/ok/);
    });
  }
});
