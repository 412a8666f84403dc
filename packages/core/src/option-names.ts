import { NntkError } from './errors';

/** Levenshtein edit distance (insertions, deletions and substitutions each cost 1). */
function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const substitution = previous[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1);
      current.push(Math.min(previous[j] + 1, current[j - 1] + 1, substitution));
    }
    previous = current;
  }
  return previous[b.length];
}

/**
 * The known name closest to `name` (case-insensitive edit distance, at most a third of the longer name and
 * at least 2), or undefined when none is close.
 */
export function closestName(name: string, known: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = Number.POSITIVE_INFINITY;
  for (const candidate of known) {
    const distance = editDistance(name.toLowerCase(), candidate.toLowerCase());
    const limit = Math.max(2, Math.floor(Math.max(name.length, candidate.length) / 3));
    if (distance <= limit && distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  return best;
}

/**
 * Rejects option names a constructor does not know (a misspelt option would otherwise be silently ignored)
 * with an `INVALID_OPTION` NntkError that names the closest known option ("did you mean") and lists them all.
 * `options` must be a plain object (or undefined).
 */
export function checkOptionNames(owner: string, options: unknown, known: readonly string[]): void {
  if (options === undefined) return;
  if (options === null || typeof options !== 'object' || Array.isArray(options)) {
    throw new NntkError(
      'INVALID_OPTION',
      `${owner}: options must be an object of named options (${known.join(', ')}), got ${JSON.stringify(options)}`,
    );
  }
  for (const name of Object.keys(options)) {
    if (known.includes(name)) continue;
    const closest = closestName(name, known);
    throw new NntkError(
      'INVALID_OPTION',
      `${owner}: unknown option '${name}'${closest ? ` (did you mean '${closest}'?)` : ''}; known options: ${known.join(', ')}`,
    );
  }
}
