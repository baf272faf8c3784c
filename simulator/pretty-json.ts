/**
 * results.json's layout: JSON.stringify's two-space indents, except that an
 * array of numbers, strings and nulls is written on one line. A run's
 * per-block columns hold thousands of numbers; one a line made results.json
 * ten times longer than its figures.
 */

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** `value` as JSON.stringify(value, null, 2) gives it, with flat arrays on one line; it parses to the same value. */
export function prettyJson(value: unknown): string {
  // JSON.stringify's own rules first (toJSON, undefined fields left out, NaN as null).
  const text = JSON.stringify(value);
  return text === undefined ? 'undefined' : layout(JSON.parse(text) as Json, '');
}

function layout(v: Json, indent: string): string {
  if (v === null || typeof v !== 'object') return JSON.stringify(v);
  const inner = `${indent}  `;
  if (Array.isArray(v)) {
    if (v.length === 0) return '[]';
    if (v.every((x) => x === null || typeof x !== 'object')) return JSON.stringify(v);
    return `[\n${v.map((x) => inner + layout(x, inner)).join(',\n')}\n${indent}]`;
  }
  const keys = Object.keys(v);
  if (keys.length === 0) return '{}';
  return `{\n${keys.map((k) => `${inner}${JSON.stringify(k)}: ${layout(v[k]!, inner)}`).join(',\n')}\n${indent}}`;
}
