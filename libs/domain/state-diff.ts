/**
 * What changed between two states. A state is a set of sections (steps, approvals, service areas, …),
 * each a map from a stable key to an entity (a flat record of JSON values). The diff names each entity
 * that appeared, disappeared or changed, and for a changed one each field with its value before and
 * after. Pure: the API diffs workflow states and registry states with it, the CLI and dashboard show it.
 */
export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };
export type Entity = Record<string, JsonValue>;
/** section → key → entity. */
export type DiffableState = Record<string, Record<string, Entity>>;

/** A field's values; `undefined` (left out of JSON) when the entity did not have the field. */
export type FieldChange = { field: string; before?: JsonValue; after?: JsonValue };

export type StateChange =
  | { op: 'added'; section: string; key: string; after: Entity }
  | { op: 'removed'; section: string; key: string; before: Entity }
  | { op: 'changed'; section: string; key: string; fields: FieldChange[] };

/** Structural equality of JSON values (key order of objects does not matter). */
export function jsonEqual(a: JsonValue | undefined, b: JsonValue | undefined): boolean {
  if (a === b) return true;
  if (a === null || b === null || a === undefined || b === undefined || typeof a !== 'object' || typeof b !== 'object') return false;
  if (Array.isArray(a) || Array.isArray(b)) {
    return Array.isArray(a) && Array.isArray(b) && a.length === b.length && a.every((x, i) => jsonEqual(x, b[i]));
  }
  const ka = Object.keys(a).filter((k) => a[k] !== undefined);
  const kb = Object.keys(b).filter((k) => b[k] !== undefined);
  return ka.length === kb.length && ka.every((k) => Object.hasOwn(b, k) && jsonEqual(a[k], b[k]));
}

const byText = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

function fieldChanges(before: Entity, after: Entity): FieldChange[] {
  const fields = [...new Set([...Object.keys(before), ...Object.keys(after)])].sort(byText);
  const out: FieldChange[] = [];
  for (const field of fields) {
    const b = Object.hasOwn(before, field) ? before[field] : undefined;
    const a = Object.hasOwn(after, field) ? after[field] : undefined;
    if (jsonEqual(b, a)) continue;
    out.push({ field, ...(b !== undefined ? { before: b } : {}), ...(a !== undefined ? { after: a } : {}) });
  }
  return out;
}

/** The changes that turn `from` into `to`, ordered by section and key. */
export function diffStates(from: DiffableState, to: DiffableState): StateChange[] {
  const changes: StateChange[] = [];
  const sections = [...new Set([...Object.keys(from), ...Object.keys(to)])].sort(byText);
  for (const section of sections) {
    const before = from[section] ?? {};
    const after = to[section] ?? {};
    const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])].sort(byText);
    for (const key of keys) {
      const b = Object.hasOwn(before, key) ? before[key] : undefined;
      const a = Object.hasOwn(after, key) ? after[key] : undefined;
      if (b && !a) changes.push({ op: 'removed', section, key, before: b });
      else if (a && !b) changes.push({ op: 'added', section, key, after: a });
      else if (a && b) {
        const fields = fieldChanges(b, a);
        if (fields.length > 0) changes.push({ op: 'changed', section, key, fields });
      }
    }
  }
  return changes;
}

/** `from` with the changes applied: applyDiff(a, diffStates(a, b)) equals b (sections left empty aside). */
export function applyDiff(from: DiffableState, changes: readonly StateChange[]): DiffableState {
  const out: DiffableState = {};
  for (const [section, entities] of Object.entries(from)) out[section] = { ...entities };
  for (const c of changes) {
    const section = (out[c.section] ??= {});
    if (c.op === 'added') section[c.key] = c.after;
    else if (c.op === 'removed') delete section[c.key];
    else {
      const entity: Entity = { ...(section[c.key] ?? {}) };
      for (const f of c.fields) {
        if (f.after === undefined) delete entity[f.field];
        else entity[f.field] = f.after;
      }
      section[c.key] = entity;
    }
  }
  return out;
}

/** A state keyed for diffing: each entity under `keyOf(entity)` (a later entity with the same key wins). */
export function keyed<T extends Entity>(entities: readonly T[], keyOf: (e: T) => string): Record<string, Entity> {
  const out: Record<string, Entity> = {};
  for (const e of entities) out[keyOf(e)] = e;
  return out;
}

