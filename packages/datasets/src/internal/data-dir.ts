import { homedir } from 'node:os';
import { join } from 'node:path';

/** Where a data set's files live: `root` if given, else `$NNTK_DATA_DIR/<name>`, else the user cache. */
export function dataDirectory(name: string, root?: string): string {
  if (root) return root;
  if (process.env.NNTK_DATA_DIR) return join(process.env.NNTK_DATA_DIR, name);
  const cache = process.env.XDG_CACHE_HOME || join(homedir(), '.cache');
  return join(cache, 'nntk', name);
}
