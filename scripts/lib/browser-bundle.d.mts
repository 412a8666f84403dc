/** See browser-bundle.mjs: bundles `import * as entry from name` for the browser and reports Node built-ins. */
export function bundleForBrowser(
  name: string,
  resolveDir: string,
  root?: string,
): Promise<{ ok: boolean; bytes?: number; lines: string[] }>;
