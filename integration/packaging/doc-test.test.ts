// The doc-test: every ```ts snippet of the root README and every package README, installed from the
// packed tarballs into a scratch project with the snippet's own install line (the nearest `npm install`
// above it), type-checked with strict TypeScript and run with tsx, as a third party would.
//
// A snippet that cannot run as written is fenced ```ts no-run: <reason>; it is still type-checked.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { allSnippets, importedPackages, type Snippet, specName } from './lib/snippets';
import { npmInstall, run, scratchProject, workspace } from './lib/workspace';

const snippets = allSnippets();
const tsc = join(workspace, 'node_modules', '.bin', 'tsc');
const tsx = join(workspace, 'node_modules', '.bin', 'tsx');
/** What a TypeScript user has besides the install line: Node's types (for console, process). */
const TOOLING = ['@types/node@20'];

/**
 * Strict, as a careful consumer compiles. skipLibCheck: tfjs-core's own declarations name `Long` (from
 * @types/long, which tfjs does not install), so a consumer without it cannot check tfjs's .d.ts files;
 * every declaration nntk's snippets use is still checked where it is used.
 */
const TSCONFIG = {
  compilerOptions: {
    strict: true,
    target: 'es2022',
    module: 'nodenext',
    moduleResolution: 'nodenext',
    skipLibCheck: true,
    noEmit: true,
    types: ['node'],
  },
  include: ['*.ts'],
};

/** Snippets grouped by install line: one scratch project per distinct line. */
function byInstallLine(list: Snippet[]): Map<string, Snippet[]> {
  const groups = new Map<string, Snippet[]>();
  for (const s of list) {
    if (s.install.length === 0) continue;
    const key = s.install.join(' ');
    groups.set(key, [...(groups.get(key) ?? []), s]);
  }
  return groups;
}

/** tsc's diagnostics per file (empty when it compiles). */
function typeCheck(project: string): Map<string, string[]> {
  let output = '';
  try {
    execFileSync(tsc, ['-p', 'tsconfig.json', '--pretty', 'false'], { cwd: project, encoding: 'utf8' });
  } catch (error) {
    output = String((error as { stdout?: string }).stdout ?? error);
  }
  const diagnostics = new Map<string, string[]>();
  for (const line of output.split('\n').filter(Boolean)) {
    const file = /^([^(]+)\(/.exec(line)?.[1] ?? '(project)';
    diagnostics.set(file, [...(diagnostics.get(file) ?? []), line]);
  }
  return diagnostics;
}

describe('README snippets are documented so a third party can run them', () => {
  it('there are snippets, each with an install line that names every package it imports', () => {
    expect(snippets.length).toBeGreaterThan(10);
    const problems: string[] = [];
    for (const s of snippets) {
      if (!s.installLine) {
        problems.push(`${s.readme}:${s.line}: no \`npm install\` line above the snippet`);
        continue;
      }
      const installed = s.install.map(specName);
      const missing = importedPackages(s.code).filter((p) => !installed.includes(p));
      if (missing.length > 0)
        problems.push(`${s.readme}:${s.line}: imports ${missing.join(', ')}, not in \`${s.installLine}\``);
    }
    expect(problems).toEqual([]);
  });

  it('a no-run snippet states why', () => {
    const silent = snippets.filter((s) => s.noRun !== undefined && s.noRun.length < 10);
    expect(silent.map((s) => `${s.readme}:${s.line}`)).toEqual([]);
  });
});

let scratch: string;
beforeAll(() => {
  scratch = mkdtempSync(join(tmpdir(), 'nntk-doc-test-'));
});
afterAll(() => {
  if (scratch) rmSync(scratch, { recursive: true, force: true });
});

let projectIndex = 0;
for (const [installLine, group] of byInstallLine(snippets)) {
  describe(`npm install ${installLine}`, () => {
    const tarballs = inject('tarballs');
    let project: string;
    let diagnostics: Map<string, string[]>;

    beforeAll(() => {
      project = join(scratch, `project-${projectIndex++}`);
      // @nntk packages come from the tarballs: those on the line as given, the ones they depend on
      // through npm overrides (never from the public registry, where this version may not exist yet).
      const onLine = new Set(group[0].install.map(specName));
      const overrides = Object.fromEntries(
        Object.entries(tarballs)
          .filter(([name]) => !onLine.has(name))
          .map(([name, tarball]) => [name, `file:${tarball}`]),
      );
      scratchProject(project, { overrides });
      const specs = group[0].install.map((spec) => tarballs[specName(spec)] ?? spec);
      npmInstall(project, [...specs, ...TOOLING]);
      writeFileSync(join(project, 'tsconfig.json'), JSON.stringify(TSCONFIG, null, 2));
      for (const s of group) writeFileSync(join(project, s.file), s.code);
      diagnostics = typeCheck(project);
    });

    for (const s of group) {
      const what =
        s.noRun === undefined ? 'type-checks strictly and runs' : `type-checks strictly (no-run: ${s.noRun})`;
      it(`${s.readme}:${s.line} ${what}`, () => {
        expect(diagnostics.get(s.file) ?? [], 'tsc --strict').toEqual([]);
        expect(diagnostics.get('(project)') ?? [], 'tsc').toEqual([]);
        if (s.noRun !== undefined) return;
        run(tsx, [s.file], project, { NO_COLOR: '1' }); // throws with the output on a non-zero exit
      });
    }
  });
}
