/**
 * Redis URLs as they may be shown: never with a password. Kept apart from the
 * Redis client so that code which only names a URL does not load one.
 */
export const DEFAULT_REDIS_URL = 'redis://127.0.0.1:6379';

/**
 * The URL with any password replaced by `***`, for logs, errors and results.
 * A URL that does not parse as one with a host (a typo such as
 * `redis:/:PW@host` parses with the password in its path) is redacted as
 * text: everything between the scheme's slashes and the last `@` goes, and
 * without an `@`, everything after the first `:` of what would be the host.
 */
export function redactRedisUrl(url: string): string {
  let u: URL | undefined;
  try {
    u = new URL(url);
  } catch {
    u = undefined;
  }
  if (u !== undefined && u.host !== '') {
    if (u.password !== '') u.password = '***';
    // A user name alone may be a password missing its colon.
    else if (u.username !== '') u.username = '***';
    return u.toString().replace(/\/$/, '');
  }
  const head = /^([A-Za-z][A-Za-z0-9+.-]*:)?[/\\]*/.exec(url)![0];
  const rest = url.slice(head.length);
  const at = rest.lastIndexOf('@');
  if (at >= 0) return `${head}***${rest.slice(at)}`;
  const colon = rest.indexOf(':');
  return colon < 0 ? url : `${head}${rest.slice(0, colon)}:***`;
}
