/**
 * PostgreSQL stores neither a NUL character (text refuses it, jsonb refuses `\u0000`) nor a lone UTF-16
 * surrogate (jsonb refuses the escape; text silently gets U+FFFD). Input carrying either must be refused
 * at the door: once it reaches a workflow, its first write fails on every retry.
 */
export type TextIssue = { path: string; message: string };

/** How deep a request body may nest: deeper payloads are no business data, and walkers of them overflow. */
export const MAX_INPUT_DEPTH = 32;

// eslint-disable-next-line no-control-regex
const NUL = /\u0000/;
// With the u flag a valid surrogate pair is one code point; only a lone half is in category Cs.
const LONE_SURROGATE = /\p{Cs}/u;

/** Why a string cannot be stored, or null when it can. */
export function unstorableReason(s: string): string | null {
  if (NUL.test(s)) return 'contains a NUL character';
  if (LONE_SURROGATE.test(s)) return 'contains a lone surrogate';
  return null;
}

function join(path: string, key: string | number): string {
  if (typeof key === 'number') return `${path}[${key}]`;
  return path ? `${path}.${key}` : key;
}

/**
 * The first value in a parsed input (strings, object keys, at any depth up to `maxDepth`) that PostgreSQL
 * cannot store, with its path (`applicant.name`, `payload.lines[2]`). Iterative, so a hostile nesting
 * cannot exhaust the stack before the depth bound answers.
 */
export function unstorableTextIssue(value: unknown, root = '', maxDepth = MAX_INPUT_DEPTH): TextIssue | null {
  const stack: { value: unknown; path: string; depth: number }[] = [{ value, path: root, depth: 0 }];
  while (stack.length > 0) {
    const { value: v, path, depth } = stack.pop()!;
    if (typeof v === 'string') {
      const reason = unstorableReason(v);
      if (reason) return { path: path || '(body)', message: reason };
      continue;
    }
    if (typeof v !== 'object' || v === null) continue;
    if (depth >= maxDepth) return { path: path || '(body)', message: `is nested more than ${maxDepth} levels deep` };
    if (Array.isArray(v)) {
      v.forEach((item, i) => stack.push({ value: item, path: join(path, i), depth: depth + 1 }));
      continue;
    }
    for (const [key, item] of Object.entries(v as Record<string, unknown>)) {
      const reason = unstorableReason(key);
      if (reason) return { path: join(path, key.replace(/[^\x20-\x7e]/g, '?')), message: `has a key that ${reason}` };
      stack.push({ value: item, path: join(path, key), depth: depth + 1 });
    }
  }
  return null;
}
