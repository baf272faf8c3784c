/**
 * Reading back a JSON file shardsim wrote (progress.json, results.json): its
 * text parsed and checked against a schema, every problem turned into the
 * caller's refusal, which names the file and what to do (exit 2).
 */
import type { z } from 'zod';

/** The first few problems zod found, each as `key.path: message`. */
export function describeIssues(issues: readonly z.core.$ZodIssue[]): string {
  const shown = issues.slice(0, 3).map((i) => `${i.path.length === 0 ? '(top level)' : i.path.map(String).join('.')}: ${i.message}`);
  if (issues.length > shown.length) shown.push(`and ${issues.length - shown.length} more`);
  return shown.join('; ');
}

/** The value a JSON text holds, or the refusal of `refuse` saying why it holds none. */
export function parseJsonText(text: string, refuse: (why: string) => Error): unknown {
  try {
    return JSON.parse(text);
  } catch (err) {
    throw refuse(`not valid JSON (${(err as Error).message.slice(0, 200)})`);
  }
}

/** A JSON text's value checked against `schema`, or the refusal naming the first keys at fault. */
export function parseJsonWith<S extends z.ZodType>(text: string, schema: S, refuse: (why: string) => Error): z.output<S> {
  const parsed = schema.safeParse(parseJsonText(text, refuse));
  if (!parsed.success) throw refuse(describeIssues(parsed.error.issues));
  return parsed.data;
}
