/**
 * Authenticated control messages of the Redis transport. Anyone who can
 * reach a shared Redis can add jobs to a run's queues; receipts prove
 * themselves (Merkle proofs under finalized headers), but the reports that
 * carry a slot's figures to the controller, and the commands it sends hosts,
 * are only as trustworthy as the queue. So each control job carries an
 * HMAC-SHA256 over its exact serialized body under a key of the run:
 * `{ body: string, mac: string }`. The body is signed as the string that
 * travels (no re-encoding, so no canonical-JSON question), one MAC per job,
 * never per transaction.
 *
 * Commands carry a slot's transactions (about 475 KB a job at 16 shards of
 * quickstart), so the per-job MAC runs on node:crypto (OpenSSL, SHA
 * extensions: 1.4 ms a job here) rather than noble's hmac (20 ms a job on
 * the same loaded machine); the key derivation, once a run, uses noble, and
 * the tests check the two agree (RFC 2104 HMAC-SHA256 both).
 *
 * The run key is derived from a secret and the run's prefix: a job signed
 * for one run is not valid in another run sharing the secret. Spawned hosts
 * get a random secret per controller over their IPC channel; external
 * workers share one with the controller through SHARDSIM_SECRET or a secret
 * file, never argv (`ps` shows it) and never logs.
 */
import { createHmac, randomBytes } from 'node:crypto';
import { hmac } from '@noble/hashes/hmac.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { utf8ToBytes } from '@noble/hashes/utils.js';

/** A control job as it sits in a queue: the message's JSON and its MAC (hex). */
export interface SealedJob {
  readonly body: string;
  readonly mac: string;
}

/** A fresh random secret (hex), for the processes a controller spawns itself. */
export function randomSecret(): string {
  return randomBytes(32).toString('hex');
}

/** Signs and checks one run's control jobs. */
export class ControlKey {
  private readonly key: Uint8Array;

  constructor(secret: string, prefix: string) {
    this.key = hmac(sha256, utf8ToBytes(secret), utf8ToBytes(`shardsim control ${prefix}`));
  }

  /** The job data for `message`. */
  seal(message: unknown): SealedJob {
    const body = JSON.stringify(message);
    return { body, mac: this.mac(body) };
  }

  /** The message a job carries if its MAC is this run's, else null. */
  open<T>(data: unknown): T | null {
    if (typeof data !== 'object' || data === null) return null;
    const { body, mac } = data as Partial<SealedJob>;
    if (typeof body !== 'string' || typeof mac !== 'string' || !sameText(mac, this.mac(body))) return null;
    try {
      return JSON.parse(body) as T;
    } catch {
      return null;
    }
  }

  private mac(body: string): string {
    return createHmac('sha256', this.key).update(body, 'utf8').digest('hex');
  }
}

/** Compares in time independent of where the texts differ (a MAC must not leak its prefix). */
function sameText(a: string, b: string): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= a.charCodeAt(i) ^ b.charCodeAt(i);
  return diff === 0;
}
