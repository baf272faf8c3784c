/**
 * Canonical JSON (sorted keys, no whitespace) and its SHA-256: the digest of
 * a run's deterministic figures. Equal digests mean byte-identical figures.
 */
import { hashBytes, toHex } from '../crosslink/hash.js';

export function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) => {
    if (v !== null && typeof v === 'object' && !Array.isArray(v)) {
      const sorted: Record<string, unknown> = {};
      for (const k of Object.keys(v).sort()) sorted[k] = (v as Record<string, unknown>)[k];
      return sorted;
    }
    return v;
  });
}

export function digestOf(value: unknown): string {
  return toHex(hashBytes(new TextEncoder().encode(canonicalJson(value))));
}
