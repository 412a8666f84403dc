// Third-party installs by name: every public package is published to a local verdaccio registry on
// 127.0.0.1 (the @nntk scope's registry in each project's .npmrc, so nothing of nntk comes from outside;
// tfjs and other dependencies come from the npm registry configured here), then scratch projects
// `npm install` them by name and run what the READMEs say: the optim README's snippets, @nntk/core
// alone, and `npx nntk demo`.
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { snippetsOf } from './lib/snippets';
import { type LocalRegistry, startRegistry } from './lib/verdaccio';
import { npmInstall, publicPackages, run, scratchProject, workspace } from './lib/workspace';

const tsx = join(workspace, 'node_modules', '.bin', 'tsx');

describe('packages published to a local registry and installed by name', () => {
  const tarballs = inject('tarballs');
  let scratch: string;
  let registry: LocalRegistry;
  let publisher: string;

  /** A scratch project whose .npmrc takes the @nntk scope from the local registry. */
  function project(name: string): string {
    const dir = join(scratch, name);
    scratchProject(dir);
    registry.configure(dir);
    return dir;
  }

  beforeAll(async () => {
    scratch = mkdtempSync(join(tmpdir(), 'nntk-registry-'));
    registry = await startRegistry(scratch);
    publisher = project('publisher');
    for (const tarball of Object.values(tarballs)) {
      run(
        'npm',
        ['publish', tarball, '--access', 'public', '--provenance=false', '--loglevel=error'],
        publisher,
      );
    }
  });

  afterAll(async () => {
    await registry?.stop();
    if (scratch) rmSync(scratch, { recursive: true, force: true });
  });

  it('serves every public package at its workspace version', () => {
    for (const { name, version } of publicPackages()) {
      expect(run('npm', ['view', name, 'version'], publisher).trim(), name).toBe(version);
    }
  });

  it('npm install @nntk/optim @tensorflow/tfjs-layers (+ a backend) runs the optim README snippets', () => {
    const dir = project('optim-layers');
    npmInstall(dir, ['@nntk/optim', '@tensorflow/tfjs-layers', '@tensorflow/tfjs-backend-cpu']);
    expect(readdirSync(join(dir, 'node_modules', '@nntk')).sort()).toEqual(['core', 'optim']);
    const snippets = snippetsOf(join(workspace, 'packages/optim/README.md')).filter(
      (s) => s.noRun === undefined,
    );
    expect(snippets.length).toBeGreaterThanOrEqual(2);
    for (const s of snippets) {
      writeFileSync(join(dir, s.file), s.code);
      run(tsx, [s.file], dir);
    }
  });

  it('@nntk/core installed alone: imports, and names the backend package to install', () => {
    const dir = project('core-alone');
    npmInstall(dir, ['@nntk/core']);
    expect(readdirSync(join(dir, 'node_modules', '@nntk'))).toEqual(['core']);
    writeFileSync(
      join(dir, 'main.mjs'),
      [
        "import { NntkError, useBackend } from '@nntk/core';",
        "const error = await useBackend('cpu').then(() => undefined, (e) => e);",
        "if (!(error instanceof NntkError) || error.code !== 'BACKEND_NOT_INSTALLED') throw error ?? new Error('no error');",
        'console.log(error.message);',
      ].join('\n'),
    );
    expect(run('node', ['main.mjs'], dir)).toContain('@tensorflow/tfjs-backend-cpu');
    npmInstall(dir, ['@tensorflow/tfjs-backend-cpu']);
    writeFileSync(
      join(dir, 'cpu.mjs'),
      [
        "import { useBackend } from '@nntk/core';",
        "const info = await useBackend('cpu');",
        "console.log('backend', info.name);",
      ].join('\n'),
    );
    expect(run('node', ['cpu.mjs'], dir)).toContain('backend cpu');
  });

  it('npx nntk demo runs @nntk/cli from the registry and writes a report', () => {
    const dir = project('cli');
    npmInstall(dir, ['@nntk/cli']);
    const output = run('npx', ['--yes', 'nntk', 'demo', '--epochs', '1', '--out', 'runs'], dir);
    expect(output).toMatch(/report/i);
    expect(existsSync(join(dir, 'runs'))).toBe(true);
  });
});
