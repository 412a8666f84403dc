#!/usr/bin/env node
// Release pre-flight (.github/workflows/release.yml): npm provenance rejects a package whose
// package.json `repository.url` does not match the repository that built it, after the upload has begun.
// Usage: node scripts/check-release-manifests.mjs https://github.com/<owner>/<repo>
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const expected = process.argv[2]?.replace(/\.git$/, '');
if (!expected) {
  console.error('usage: check-release-manifests.mjs <repository url>');
  process.exit(2);
}
const root = new URL('../packages/', import.meta.url).pathname;
const problems = [];
for (const name of readdirSync(root)) {
  let manifest;
  try {
    manifest = JSON.parse(readFileSync(join(root, name, 'package.json'), 'utf8'));
  } catch {
    continue;
  }
  if (manifest.private) continue;
  const repository = typeof manifest.repository === 'string' ? manifest.repository : manifest.repository?.url;
  const url = repository?.replace(/^git\+/, '').replace(/\.git$/, '');
  if (url !== expected) {
    problems.push(
      `${manifest.name}: repository.url is ${JSON.stringify(repository ?? null)}; npm provenance needs "git+${expected}.git" (with "directory": "packages/${name}")`,
    );
  }
}
if (problems.length > 0) {
  console.error(problems.join('\n'));
  process.exit(1);
}
console.log(`every public package names ${expected}`);
