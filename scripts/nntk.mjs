#!/usr/bin/env node
// `pnpm nntk <command>`: runs the nntk command from the TypeScript sources (no build step: tsx compiles
// each file on first use and caches it), with the `@nntk/source` export condition that the tests use too.
// The child gets the options through NODE_OPTIONS, so the worker processes of `nntk sweep` run from the
// sources as well. Ctrl-C and SIGTERM are forwarded to the child once, the wrapper waits for it to save
// its checkpoint and exits with its exit code (128 + the signal number when the child was killed).
import { spawn } from 'node:child_process';
import { constants } from 'node:os';

const root = new URL('..', import.meta.url);
const tsx = import.meta.resolve('tsx');
const hooks = new URL('scripts/register-source-hooks.mjs', root).href;
const options = `--conditions=@nntk/source --import "${tsx}" --import "${hooks}"`;

const child = spawn(
  process.execPath,
  [new URL('packages/cli/src/cli.ts', root).pathname, ...process.argv.slice(2)],
  {
    stdio: 'inherit',
    // Its own process group: a terminal's Ctrl-C reaches only this wrapper, which passes it on once
    // (a second SIGINT would end the child before its checkpoint is written).
    detached: true,
    // biome-ignore lint/suspicious/noUndeclaredEnvVars: set by pnpm for scripts, not an input of a turbo task
    cwd: process.env.INIT_CWD ?? process.cwd(),
    // biome-ignore lint/suspicious/noUndeclaredEnvVars: the user's own node options, kept; not a turbo input
    env: { ...process.env, NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ''} ${options}`.trim() },
  },
);

for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'])
  process.on(signal, () => {
    if (child.exitCode === null && child.signalCode === null) child.kill(signal);
  });

child.on('error', (error) => {
  process.stderr.write(`nntk: could not start node: ${error.message}\n`);
  process.exit(1);
});
child.on('exit', (code, signal) => {
  process.exit(code ?? 128 + (signal ? constants.signals[signal] : 0));
});
