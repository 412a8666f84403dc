#!/usr/bin/env node
// `pnpm nntk <command>`: builds the nntk command (and what it depends on; turbo's cache makes this
// instant after the first time), then runs it with the given arguments.
import { spawnSync } from 'node:child_process';

const root = new URL('..', import.meta.url).pathname;
const build = spawnSync(
  'pnpm',
  [
    'exec',
    'turbo',
    'run',
    'build',
    '--filter=@nntk/cli...',
    '--output-logs=errors-only',
    '--log-prefix=none',
  ],
  {
    cwd: root,
    stdio: ['ignore', 'ignore', 'inherit'],
    env: { ...process.env, TURBO_TELEMETRY_DISABLED: '1', DO_NOT_TRACK: '1' },
  },
);
if (build.status !== 0) {
  process.stderr.write('nntk: building the packages failed (run `pnpm build` to see why)\n');
  process.exit(1);
}
const run = spawnSync(process.execPath, [`${root}packages/cli/dist/cli.js`, ...process.argv.slice(2)], {
  stdio: 'inherit',
  // biome-ignore lint/suspicious/noUndeclaredEnvVars: set by pnpm for scripts, not an input of a turbo task
  cwd: process.env.INIT_CWD ?? process.cwd(),
});
process.exit(run.status ?? 1);
