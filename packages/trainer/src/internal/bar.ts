/** A text bar `=====>     ` of `width` characters, `fraction` (0…1) of it filled. */
export function bar(fraction: number, width: number): string {
  const filled = Math.round(Math.min(Math.max(fraction, 0), 1) * width);
  return `${'='.repeat(Math.max(filled - 1, 0))}${filled ? '>' : ''}${' '.repeat(width - filled)}`;
}

/** Seconds as `42s` or `3m05s` (`?` when unknown). */
export function duration(seconds: number): string {
  if (!Number.isFinite(seconds)) return '?';
  if (seconds < 60) return `${seconds.toFixed(0)}s`;
  return `${Math.floor(seconds / 60)}m${String(Math.round(seconds % 60)).padStart(2, '0')}s`;
}
