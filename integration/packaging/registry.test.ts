// Third-party installs by name: every public package is published to a local verdaccio registry on
// 127.0.0.1 (no uplink for @nntk/*, so nothing of nntk comes from outside; tfjs and other dependencies
// are proxied to the npm registry configured here), then scratch projects `npm install` them by name and
// run what the READMEs say: the optim README's snippets, @nntk/core alone, and `npx nntk demo`.
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
  let env: NodeJS.ProcessEnv;

  beforeAll(async () => {
    scratch = mkdtempSync(join(tmpdir(), 'nntk-registry-'));
    registry = await startRegistry(scratch);
    env = { npm_config_userconfig: registry.userconfig, npm_config_registry: `${registry.url}/` };
    for (const tarball of Object.values(tarballs)) {
      run(
        'npm',
        ['publish', tarball, '--access', 'public', '--provenance=false', '--loglevel=error'],
        scratch,
        env,
      );
    }
  });

  afterAll(async () => {
    await registry?.stop();
    if (scratch) rmSync(scratch, { recursive: true, force: true });
  });

  it('serves every public package at its workspace version', () => {
    for (const { name, version } of publicPackages()) {
      expect(run('npm', ['view', name, 'version'], scratch, env).trim(), name).toBe(version);
    }
  });

  it('npm install @nntk/optim @tensorflow/tfjs-layers (+ a backend) runs the optim README snippets', () => {
    const project = join(scratch, 'optim-layers');
    scratchProject(project);
    npmInstall(project, ['@nntk/optim', '@tensorflow/tfjs-layers', '@tensorflow/tfjs-backend-cpu'], env);
    expect(readdirSync(join(project, 'node_modules', '@nntk')).sort()).toEqual(['core', 'optim']);
    const snippets = snippetsOf(join(workspace, 'packages/optim/README.md')).filter(
      (s) => s.noRun === undefined,
    );
    expect(snippets.length).toBeGreaterThanOrEqual(2);
    for (const s of snippets) {
      writeFileSync(join(project, s.file), s.code);
      run(tsx, [s.file], project, env);
    }
  });

  it('@nntk/core installed alone: imports, and names the backend package to install', () => {
    const project = join(scratch, 'core-alone');
    scratchProject(project);
    npmInstall(project, ['@nntk/core'], env);
    expect(readdirSync(join(project, 'node_modules', '@nntk'))).toEqual(['core']);
    writeFileSync(
      join(project, 'main.mjs'),
      [
        "import { NntkError, useBackend } from '@nntk/core';",
        "const error = await useBackend('cpu').then(() => undefined, (e) => e);",
        "if (!(error instanceof NntkError) || error.code !== 'BACKEND_NOT_INSTALLED') throw error ?? new Error('no error');",
        'console.log(error.message);',
      ].join('\n'),
    );
    expect(run('node', ['main.mjs'], project, env)).toContain('@tensorflow/tfjs-backend-cpu');
    run(
      'npm',
      ['install', '--no-audit', '--no-fund', '--loglevel=error', '@tensorflow/tfjs-backend-cpu'],
      project,
      env,
    );
    writeFileSync(
      join(project, 'cpu.mjs'),
      [
        "import { useBackend } from '@nntk/core';",
        "const info = await useBackend('cpu');",
        "console.log('backend', info.name);",
      ].join('\n'),
    );
    expect(run('node', ['cpu.mjs'], project, env)).toContain('backend cpu');
  });

  it('npx nntk demo runs @nntk/cli from the registry and writes a report', () => {
    const project = join(scratch, 'cli');
    scratchProject(project);
    npmInstall(project, ['@nntk/cli'], env);
    const output = run('npx', ['--yes', 'nntk', 'demo', '--epochs', '1', '--out', 'runs'], project, env);
    expect(output).toMatch(/report/i);
    expect(existsSync(join(project, 'runs'))).toBe(true);
  });
});
