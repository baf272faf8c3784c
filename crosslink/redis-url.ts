/**
 * Redis URLs as they may be shown: never with a password. Kept apart from the
 * Redis client so that code which only names a URL does not load one.
 */
export const DEFAULT_REDIS_URL = 'redis://127.0.0.1:6379';

/** The URL with any password replaced by `***`, for logs, errors and results. */
export function redactRedisUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password !== '') u.password = '***';
    return u.toString().replace(/\/$/, '');
  } catch {
    return '(unparseable Redis URL)';
  }
}
