/**
 * The secret external workers and their controller share to sign control
 * messages (crosslink/transports/redis/control-auth.ts): where the command
 * line finds it, and how short a secret it refuses.
 */
import { readFileSync } from 'node:fs';
import { ConfigError } from '../crosslink/common/errors.js';

/** The environment variable external workers and their controller read the shared secret from. */
export const SECRET_ENV = 'SHARDSIM_SECRET';

/** Shortest shared secret accepted: below this a guess is within reach. */
const MIN_SECRET_CHARS = 16;

/**
 * The shared secret for external workers: the file's content (trimmed) if
 * `file` is given, else $SHARDSIM_SECRET. Undefined when neither is set.
 */
export function sharedSecret(file: string | undefined, env: NodeJS.ProcessEnv = process.env): string | undefined {
  let secret: string | undefined;
  let from: string;
  if (file !== undefined) {
    from = `--secret-file ${file}`;
    try {
      secret = readFileSync(file, 'utf8').trim();
    } catch (err) {
      throw new ConfigError('--secret-file', `cannot read ${file}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
    }
  } else {
    from = `$${SECRET_ENV}`;
    secret = env[SECRET_ENV];
    if (secret === undefined || secret === '') return undefined;
  }
  if (secret.length < MIN_SECRET_CHARS) {
    throw new ConfigError(
      file !== undefined ? '--secret-file' : SECRET_ENV,
      `the shared secret from ${from} is ${secret.length} characters; use at least ${MIN_SECRET_CHARS} (e.g. \`openssl rand -hex 32\`)`,
    );
  }
  return secret;
}
