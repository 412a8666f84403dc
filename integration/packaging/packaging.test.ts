import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const workspace = new URL('../..', import.meta.url).pathname;
const smokeDir = new URL('./smoke/', import.meta.url).pathname;
const TFJS = '4.22.0';

function publicPackages(): { name: string; dir: string }[] {
  const root = join(workspace, 'packages');
  return readdirSync(root)
    .map((name) => ({
      dir: join(root, name),
      manifest: JSON.parse(readFileSync(join(root, name, 'package.json'), 'utf8')),
    }))
    .filter(({ manifest }) => !manifest.private)
    .map(({ dir, manifest }) => ({ name: manifest.name as string, dir }));
}

function run(command: string, args: string[], cwd: string): string {
  return execFileSync(command, args, {
    cwd,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, npm_config_yes: 'true' },
  });
}

/** A scratch third-party project with `packages` installed by npm, as a user would. */
function installProject(project: string, packages: string[]): void {
  mkdirSync(project, { recursive: true });
  writeFileSync(
    join(project, 'package.json'),
    JSON.stringify({ name: 'third-party-app', version: '1.0.0', private: true }),
  );
  run('npm', ['install', '--no-audit', '--no-fund', '--loglevel=error', ...packages], project);
}

describe('packed tarballs installed outside the workspace', () => {
  let scratch: string;
  const tarballs: Record<string, string> = {};

  beforeAll(() => {
    scratch = mkdtempSync(join(tmpdir(), 'nntk-pack-'));
    const packDir = join(scratch, 'tarballs');
    for (const { name, dir } of publicPackages()) {
      const out = run('pnpm', ['pack', '--pack-destination', packDir], dir).trim().split('\n').pop()!;
      tarballs[name] = out.trim();
    }
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
