import fc from 'fast-check';
import { applyDiff, diffStates, jsonEqual, type DiffableState, type Entity, type JsonValue } from './state-diff';

const json: fc.Arbitrary<JsonValue> = fc.letrec<{ v: JsonValue }>((tie) => ({
  v: fc.oneof(
    { depthSize: 'small' },
    fc.constant(null), fc.boolean(), fc.integer(), fc.string({ maxLength: 6 }),
    fc.array(tie('v'), { maxLength: 3 }),
    fc.dictionary(fc.string({ maxLength: 4 }), tie('v'), { maxKeys: 3 }),
  ),
})).v;
const entity: fc.Arbitrary<Entity> = fc.dictionary(fc.constantFrom('status', 'holder', 'from', 'to', 'detail'), json, { maxKeys: 4 });
const section = fc.dictionary(fc.constantFrom('a', 'b', 'c', 'd'), entity, { maxKeys: 4 });
const state: fc.Arbitrary<DiffableState> = fc.dictionary(fc.constantFrom('steps', 'approvals', 'serviceAreas'), section, { maxKeys: 3 });

/** Equal as states: a section that is missing and one that is empty hold the same (nothing). */
function sameState(a: DiffableState, b: DiffableState): boolean {
  const sections = new Set([...Object.keys(a), ...Object.keys(b)]);
  return [...sections].every((s) => jsonEqual(a[s] ?? {}, b[s] ?? {}));
}

describe('diffStates', () => {
  it('names an added, a removed and a changed entity, field by field', () => {
    const from: DiffableState = {
      steps: { review: { status: 'running', title: 'Review' }, old: { status: 'done' } },
    };
    const to: DiffableState = {
      steps: { review: { status: 'done', title: 'Review', finishedAt: '2023-01-01' }, sign: { status: 'pending' } },
    };
    expect(diffStates(from, to)).toEqual([
      { op: 'removed', section: 'steps', key: 'old', before: { status: 'done' } },
      { op: 'changed', section: 'steps', key: 'review', fields: [
        { field: 'finishedAt', after: '2023-01-01' },
        { field: 'status', before: 'running', after: 'done' },
      ] },
      { op: 'added', section: 'steps', key: 'sign', after: { status: 'pending' } },
    ]);
  });

  it('sees a field that was dropped and compares nested values by content, not key order', () => {
    expect(diffStates({ s: { k: { a: 1, b: { x: 1, y: [1, 2] } } } }, { s: { k: { b: { y: [1, 2], x: 1 } } } })).toEqual([
      { op: 'changed', section: 's', key: 'k', fields: [{ field: 'a', before: 1 }] },
    ]);
  });

  it('is empty between a state and itself', () => {
    fc.assert(fc.property(state, (a) => diffStates(a, a).length === 0));
  });

  it('turns from into to when applied', () => {
    fc.assert(fc.property(state, state, (a, b) => sameState(applyDiff(a, diffStates(a, b)), b)));
  });

  it('does not change the state it is applied to', () => {
    fc.assert(fc.property(state, state, (a, b) => {
      const copy = JSON.parse(JSON.stringify(a)) as DiffableState;
      applyDiff(a, diffStates(a, b));
      return jsonEqual(copy as unknown as JsonValue, a as unknown as JsonValue);
    }));
  });

  it('reverses: the diff back names the same entities with before and after swapped', () => {
    fc.assert(fc.property(state, state, (a, b) => {
      const there = diffStates(a, b);
      const back = diffStates(b, a);
      return there.length === back.length && there.every((c, i) => {
        const r = back[i]!;
        if (c.key !== r.key || c.section !== r.section) return false;
        if (c.op === 'added') return r.op === 'removed' && jsonEqual(r.before, c.after);
        if (c.op === 'removed') return r.op === 'added' && jsonEqual(r.after, c.before);
        return r.op === 'changed' && r.fields.every((f, j) => f.field === c.fields[j]!.field && jsonEqual(f.before, c.fields[j]!.after));
      });
    }));
  });
});
