// A local npm registry (verdaccio) on 127.0.0.1 for the packaging tests: @nntk/* are published to it and
// never fetched from outside. It has no uplinks: npm gets the @nntk scope from it (a scoped registry in
// the project's .npmrc) and everything else from the registry npm is configured with, with npm's own
// cache and retries (verdaccio's proxy marks its uplink offline after two failed requests, and a
// loaded machine's slow first request then failed every later install).
import { type ChildProcess, spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import { dirname, join } from 'node:path';

export interface LocalRegistry {
  url: string;
  /** Writes a project .npmrc into `dir`: the @nntk scope from this registry, with a publish token. */
  configure(dir: string): void;
  stop(): Promise<void>;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/** Resolves once `child` prints `pattern` (verdaccio logs its address when it listens), rejects if it exits. */
function waitForOutput(child: ChildProcess, pattern: RegExp): Promise<void> {
  return new Promise((resolve, reject) => {
    let seen = '';
    const onData = (chunk: Buffer) => {
      seen += chunk.toString();
      if (pattern.test(seen)) {
        child.stdout?.off('data', onData);
        child.stderr?.off('data', onData);
        resolve();
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.once('exit', (code) => reject(new Error(`verdaccio exited (${code}) before listening:\n${seen}`)));
  });
}

/** Starts verdaccio with storage in `dir` and registers a user whose token `configure` writes. */
export async function startRegistry(dir: string): Promise<LocalRegistry> {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const config = join(dir, 'config.yaml');
  writeFileSync(
    config,
    [
      `storage: ${JSON.stringify(join(dir, 'storage'))}`,
      'auth:',
      '  htpasswd:',
      `    file: ${JSON.stringify(join(dir, 'htpasswd'))}`,
      'packages:',
      "  '@nntk/*':", // no proxy: only what the test publishes
      '    access: $all',
      '    publish: $authenticated',
      'log: { type: stdout, format: pretty, level: info }',
      '',
    ].join('\n'),
  );
  // The package exports only its API; its command is the manifest's `bin`, beside package.json.
  const manifest = createRequire(import.meta.url).resolve('verdaccio/package.json');
  const bin = join(dirname(manifest), 'bin', 'verdaccio');
  const child = spawn(process.execPath, [bin, '--config', config, '--listen', `127.0.0.1:${port}`], {
    cwd: dir,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const stop = async () => {
    if (child.exitCode === null) child.kill('SIGTERM');
    await exited;
  };
  try {
    await waitForOutput(child, /http address/);
    const response = await fetch(`${url}/-/user/org.couchdb.user:nntk-test`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'nntk-test', password: 'nntk-test-password', type: 'user', roles: [] }),
    });
    const { token } = (await response.json()) as { token?: string };
    if (!response.ok || !token)
      throw new Error(`verdaccio did not register the test user: ${response.status}`);
    const npmrc = `@nntk:registry=${url}/\n//127.0.0.1:${port}/:_authToken=${token}\n`;
    const configure = (target: string) => writeFileSync(join(target, '.npmrc'), npmrc);
    return { url, configure, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}
