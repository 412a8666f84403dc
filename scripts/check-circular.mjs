#!/usr/bin/env node
// Fails when any package's sources import in a circle (madge over packages/*/src, type imports included).
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import madge from 'madge';

const root = new URL('..', import.meta.url).pathname;
let circles = 0;
for (const name of readdirSync(join(root, 'packages'))) {
  const src = join(root, 'packages', name, 'src');
  const result = await madge(src, { fileExtensions: ['ts'], excludeRegExp: [/\.test\.ts$/] });
  for (const circle of result.circular()) {
    circles += 1;
    console.error(`packages/${name}/src: import circle ${[...circle, circle[0]].join(' -> ')}`);
  }
}
if (circles > 0) {
  console.error(
    `${circles} import circle(s); break them (for example with an interface in a file of its own)`,
  );
  process.exit(1);
}
console.log('no import circles in packages/*/src');
