/**
 * A URL safe to print: user name and password replaced by `***` (`rediss://***:***@host:6380/0`).
 * Anything that does not parse as a URL is shown as `<unparseable URL>`, never echoed.
 */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.username) u.username = '***';
    if (u.password) u.password = '***';
    return u.toString().replace(/\/$/, '');
  } catch {
    return '<unparseable URL>';
  }
}
