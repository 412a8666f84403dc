import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { packAll, publicPackages } from './lib/workspace';

declare module 'vitest' {
  export interface ProvidedContext {
    /** Package name -> the tarball `pnpm pack` wrote for it (packed once for every test file). */
    tarballs: Record<string, string>;
  }
}

/**
 * Packs every public package once for all test files. The packages are built first by turbo (this
 * test's `dependsOn: ["^build"]` over its devDependencies, which list every public package); a
 * package without a build is reported here, by name, rather than as a missing file in a tarball.
 */
export default function setup(project: TestProject) {
  const unbuilt = publicPackages().filter(({ dir }) => !existsSync(join(dir, 'dist', 'index.js')));
  if (unbuilt.length > 0) {
    throw new Error(
      `not built: ${unbuilt.map((p) => p.name).join(', ')}. Run \`pnpm test\` (turbo builds what this test packs) or \`pnpm build\` first.`,
    );
  }
  const dir = mkdtempSync(join(tmpdir(), 'nntk-tarballs-'));
  project.provide('tarballs', packAll(dir));
  return () => rmSync(dir, { recursive: true, force: true });
}
