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

/**
 * Applies `fn` to every personal value (a PERSONAL_KEYS property that is not null) anywhere in a value,
 * returning a copy; everything else is kept as it is. What seals personal values on their way into
 * Temporal and opens them on their way out uses it.
 */
export function mapPersonal(value: unknown, fn: (personal: unknown) => unknown): unknown {
  if (Array.isArray(value)) return value.map((v) => mapPersonal(v, fn));
  if (!isRecord(value)) return value;
  const out: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(value)) {
    out[key] = PERSONAL_KEYS.has(key) && v !== undefined && v !== null ? fn(v) : mapPersonal(v, fn);
  }
  return out;
}

/** Visits every personal value in a value without copying it (most activity inputs hold none). */
export function forEachPersonal(value: unknown, visit: (personal: unknown) => void): void {
  if (Array.isArray(value)) {
    for (const v of value) forEachPersonal(v, visit);
  } else if (isRecord(value)) {
    for (const [key, v] of Object.entries(value)) {
      if (PERSONAL_KEYS.has(key) && v !== undefined && v !== null) visit(v);
      else forEachPersonal(v, visit);
    }
  }
}

/** Whether any personal value is in a value. */
export function hasPersonal(value: unknown): boolean {
  let found = false;
  forEachPersonal(value, () => {
    found = true;
  });
  return found;
}

/** A personal value as Temporal's histories hold it: AES-256-GCM under the key `kid`, all base64. */
export type SealedValue = { $sealed: typeof SEALED_FORMAT; kid: string; iv: string; ct: string; tag: string };
export const SEALED_FORMAT = 'aes-256-gcm/1';

/** What a sealed value reads as once its key is shredded (or if it cannot be opened). */
export const ERASED_VALUE = '[erased]';

/** Visits every sealed value anywhere in a value (a personal field, or a whole payload sealed in one piece). */
export function forEachSealed(value: unknown, visit: (sealed: SealedValue) => void): void {
  if (isSealed(value)) visit(value);
  else if (Array.isArray(value)) for (const v of value) forEachSealed(v, visit);
  else if (isRecord(value)) for (const v of Object.values(value)) forEachSealed(v, visit);
}

/** A copy of a value with every sealed value in it replaced by `fn`'s answer. */
export function mapSealed(value: unknown, fn: (sealed: SealedValue) => unknown): unknown {
  if (isSealed(value)) return fn(value);
  if (Array.isArray(value)) return value.map((v) => mapSealed(v, fn));
  if (!isRecord(value)) return value;
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, mapSealed(v, fn)]));
}

export function isSealed(v: unknown): v is SealedValue {
  return isRecord(v) && v.$sealed === SEALED_FORMAT && typeof v.kid === 'string' && typeof v.iv === 'string'
    && typeof v.ct === 'string' && typeof v.tag === 'string';
}
