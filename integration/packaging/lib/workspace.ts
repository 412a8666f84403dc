// Shared by the packaging, doc-test and registry tests: the workspace's public packages, packing them,
// and running commands the way a third party's shell would.
import { execFileSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export const workspace = new URL('../../../', import.meta.url).pathname;

export interface PublicPackage {
  name: string;
  dir: string;
  version: string;
}

/** Every package under packages/ that is published (not private). */
export function publicPackages(): PublicPackage[] {
  const root = join(workspace, 'packages');
  return readdirSync(root)
    .map((name) => ({
      dir: join(root, name),
      manifest: JSON.parse(readFileSync(join(root, name, 'package.json'), 'utf8')),
    }))
    .filter(({ manifest }) => !manifest.private)
    .map(({ dir, manifest }) => ({
      name: manifest.name as string,
      dir,
      version: manifest.version as string,
    }));
}

/** Runs a command, returning stdout; a failure throws with the command's stderr and stdout attached. */
export function run(command: string, args: string[], cwd: string, env: NodeJS.ProcessEnv = {}): string {
  const base = { ...process.env };
  delete base.npm_config_verify_deps_before_run; // pnpm's, set for its scripts; npm warns about it
  try {
    return execFileSync(command, args, {
      cwd,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
      env: {
        ...base,
        npm_config_yes: 'true',
        npm_config_fund: 'false',
        npm_config_audit: 'false',
        ...env,
      },
      maxBuffer: 64 * 1024 * 1024,
    });
  } catch (error) {
    const e = error as { stdout?: string; stderr?: string; message: string };
    throw new Error(
      `${command} ${args.join(' ')} (in ${cwd}) failed: ${e.message}\n${e.stdout ?? ''}\n${e.stderr ?? ''}`,
    );
  }
}

/** `pnpm pack`s every public package into `destination`; returns package name -> tarball path. */
export function packAll(destination: string): Record<string, string> {
  const tarballs: Record<string, string> = {};
  for (const { name, dir } of publicPackages()) {
    const out = run('pnpm', ['pack', '--pack-destination', destination], dir).trim().split('\n').pop() ?? '';
    tarballs[name] = out.trim();
  }
  return tarballs;
}

/** Writes an empty third-party project (ESM) at `project`. */
export function scratchProject(project: string, extra: Record<string, unknown> = {}): void {
  mkdirSync(project, { recursive: true });
  writeFileSync(
    join(project, 'package.json'),
    `${JSON.stringify({ name: 'third-party-app', version: '1.0.0', private: true, type: 'module', ...extra }, null, 2)}\n`,
  );
}

/** `npm install` in `project`, quietly, as a user would. */
export function npmInstall(project: string, specs: string[], env: NodeJS.ProcessEnv = {}): void {
  // --prefer-offline: what npm's cache holds (tfjs, from an earlier run) is not revalidated.
  run(
    'npm',
    ['install', '--no-audit', '--no-fund', '--prefer-offline', '--loglevel=error', ...specs],
    project,
    env,
  );
}
