#!/usr/bin/env node
// `pnpm test:pack [file...]`: builds every public package (turbo, cached), then runs the packaging
// suite in integration/packaging: the tarball checks, the README doc-test and the local-registry
// installs (or only the named test files, e.g. `pnpm test:pack doc-test`).
import { spawnSync } from 'node:child_process';

const root = new URL('..', import.meta.url).pathname;
const step = (command, args, cwd) => {
  const result = spawnSync(command, args, { cwd, stdio: 'inherit' });
  if (result.status !== 0) process.exit(result.status ?? 1);
};
step('pnpm', ['exec', 'turbo', 'run', 'build', '--filter=./packages/*', '--output-logs=errors-only'], root);
step(
  'pnpm',
  ['exec', 'vitest', 'run', ...process.argv.slice(2)],
  new URL('integration/packaging', `file://${root}`).pathname,
);
