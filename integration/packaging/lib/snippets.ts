// Extracts the TypeScript snippets of the READMEs with the install line each one is documented with.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { workspace } from './workspace';

export interface Snippet {
  /** README path relative to the repository root. */
  readme: string;
  /** 1-based line of the opening fence. */
  line: number;
  /** A file name for the snippet in the scratch project. */
  file: string;
  code: string;
  /** What the nearest `npm install` line above the snippet installs (names, maybe with @version). */
  install: string[];
  /** The install line as written, or undefined when the README has none above the snippet. */
  installLine?: string;
  /** For a ```ts no-run: <reason> fence, the reason (the snippet is type-checked but not run). */
  noRun?: string;
}

/** The root README and every package README. */
export function readmes(): string[] {
  const packages = join(workspace, 'packages');
  const inPackages = readdirSync(packages)
    .map((name) => join(packages, name, 'README.md'))
    .filter((path) => existsSync(path));
  return [join(workspace, 'README.md'), ...inPackages];
}

const FENCE = /^```(\S*)\s*(.*)$/;

/** The packages an `npm install ...` line installs: its arguments up to a comment, without flags. */
export function parseInstallLine(line: string): string[] {
  const words = line.replace(/#.*$/, '').trim().split(/\s+/).slice(2);
  return words.filter((w) => w.length > 0 && !w.startsWith('-'));
}

/** The package an import specifier names (`@scope/name` or `name`); undefined for relative and node: ones. */
export function packageOf(specifier: string): string | undefined {
  if (specifier.startsWith('.') || specifier.startsWith('/') || specifier.startsWith('node:'))
    return undefined;
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0];
}

/** Package names a snippet imports. */
export function importedPackages(code: string): string[] {
  const specifiers = [
    ...code.matchAll(/(?:^|\s)(?:import|export)\s[^'"]*?(?:from\s*)?['"]([^'"]+)['"]/gm),
  ].map((m) => m[1]);
  const dynamic = [...code.matchAll(/import\(\s*['"]([^'"]+)['"]\s*\)/g)].map((m) => m[1]);
  return [...new Set([...specifiers, ...dynamic].map(packageOf).filter((p): p is string => p !== undefined))];
}

/** The name part of an install spec (`@tensorflow/tfjs-core@4.22.0` -> `@tensorflow/tfjs-core`). */
export function specName(spec: string): string {
  const at = spec.indexOf('@', 1);
  return at > 0 ? spec.slice(0, at) : spec;
}

/** Every ```ts / ```typescript snippet of `readme`, with the last `npm install` line above it. */
export function snippetsOf(readme: string): Snippet[] {
  const lines = readFileSync(readme, 'utf8').split('\n');
  const name = relative(workspace, readme);
  const slug = name.replace(/\/README\.md$|README\.md$/, '').replace(/[^a-z0-9]+/gi, '-') || 'root';
  const out: Snippet[] = [];
  let installLine: string | undefined;
  for (let i = 0; i < lines.length; i++) {
    const fence = FENCE.exec(lines[i]);
    if (!fence || fence[1] === '') continue;
    const start = i;
    const body: string[] = [];
    for (i += 1; i < lines.length && !/^```\s*$/.test(lines[i]); i++) body.push(lines[i]);
    const lang = fence[1];
    if (lang === 'sh' || lang === 'bash' || lang === 'shell') {
      const install = body.filter((l) => /^npm (install|i) /.test(l.trim()) && !/\s-g\b/.test(l));
      if (install.length > 0) installLine = install[install.length - 1].trim();
      continue;
    }
    if (lang !== 'ts' && lang !== 'typescript') continue;
    const info = fence[2];
    const noRun = /^no-run\b:?\s*(.*)$/.exec(info);
    out.push({
      readme: name,
      line: start + 1,
      file: `${slug}-line-${start + 1}.ts`,
      code: `${body.join('\n')}\n`,
      install: installLine ? parseInstallLine(installLine) : [],
      installLine,
      noRun: noRun ? noRun[1].trim() : undefined,
    });
  }
  return out;
}

export function allSnippets(): Snippet[] {
  return readmes().flatMap(snippetsOf);
}
