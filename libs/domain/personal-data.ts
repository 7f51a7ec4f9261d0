/**
 * Personal data in the audit trail. Free-text fields (a decision's comment, a task's note) may name
 * people, and a person may have that erased. The hash chain must stay verifiable after an erasure, so
 * such fields never enter the chained content: they are lifted out of a payload before it is hashed,
 * kept beside the audit row, and only their salted digest is chained.
 */

/** Property names whose values are personal wherever they appear in a payload. */
export const PERSONAL_KEYS: ReadonlySet<string> = new Set(['comment', 'note', 'personal']);

/** The personal values lifted out of one payload, by their path in it (e.g. `approvals.0.comment`). */
export type PersonalFields = Record<string, unknown>;

export type SeparatedPayload = { chained: Record<string, unknown>; personal: PersonalFields };

/** Splits a payload into what may be chained and the personal values (absent and null values are not personal data). */
export function separatePersonal(payload: Record<string, unknown>): SeparatedPayload {
  const personal: PersonalFields = {};
  const chained = strip(payload, [], personal) as Record<string, unknown>;
  return { chained, personal };
}

function strip(value: unknown, path: string[], personal: PersonalFields): unknown {
  if (Array.isArray(value)) return value.map((v, i) => strip(v, [...path, String(i)], personal));
  if (!isRecord(value)) return value;
  const out: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(value)) {
    if (PERSONAL_KEYS.has(key) && v !== undefined && v !== null) personal[[...path, key].join('.')] = v;
    else out[key] = strip(v, [...path, key], personal);
  }
  return out;
}

/** Puts personal values back where `separatePersonal` took them from; paths that no longer fit are skipped. */
export function restorePersonal(chained: Record<string, unknown>, personal: PersonalFields | null | undefined): Record<string, unknown> {
  if (!personal || Object.keys(personal).length === 0) return chained;
  const copy = structuredClone(chained);
  for (const [path, value] of Object.entries(personal)) {
    const parts = path.split('.');
    const key = parts.pop();
    let target: unknown = copy;
    for (const part of parts) target = isRecord(target) || Array.isArray(target) ? (target as Record<string, unknown>)[part] : undefined;
    if (key !== undefined && (isRecord(target) || Array.isArray(target))) (target as Record<string, unknown>)[key] = value;
  }
  return copy;
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}
