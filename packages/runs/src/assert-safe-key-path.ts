import { NntkError } from '@nntk/core';

const FORBIDDEN = new Set(['__proto__', 'constructor', 'prototype']);

/**
 * Throws `INVALID_OPTION` when a dotted key path (a grid or search-space key, a CLI override such as
 * `--optimizer.lr`) has a `__proto__`, `constructor` or `prototype` segment, or an empty one: setting
 * such a path on a plain object would write to `Object.prototype` (prototype pollution) instead of the
 * config. `where` names the source in the message (`"runSweep: grid key"`, `"override --"`).
 */
export function assertSafeKeyPath(path: string, where: string): void {
  const segments = path.split('.');
  const bad = segments.find((s) => FORBIDDEN.has(s));
  if (bad !== undefined) {
    throw new NntkError(
      'INVALID_OPTION',
      `${where} '${path}' has the segment '${bad}', which is not allowed in config keys ('__proto__', 'constructor' and 'prototype' would reach an object's prototype); use the config key's own name`,
    );
  }
  if (segments.some((s) => s === '')) {
    throw new NntkError('INVALID_OPTION', `${where} '${path}' has an empty segment; write keys as 'a.b.c'`);
  }
}
