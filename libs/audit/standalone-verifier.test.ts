import canonicalize from 'canonicalize';
import fc from 'fast-check';
import { canonicalJson as serverCanonicalJson } from '../db/canonical-json';
import type { AuditBundle } from './bundle';
import { standaloneVerifier } from './standalone-verifier';
import { syntheticBundle } from './synthetic-bundle';

/**
 * tools/verify-bundle.cjs on bundles made with the server's own formulas (libs/audit/synthetic-bundle.ts):
 * its RFC 8785 serializer against the `canonicalize` package, a bundle that holds, and every kind of
 * change, each failing with the place named. The end-to-end test against a real export is
 * test/audit-bundle.test.ts.
 */
const verifier = standaloneVerifier();
const { bundle: good, publicKeyHex } = syntheticBundle({ events: 40, legacyEvents: 2, othersBetween: 2 });
const copy = (): AuditBundle => structuredClone(good);
const flipHex = (s: string, at = 0) => s.slice(0, at) + (s[at] === '0' ? '1' : '0') + s.slice(at + 1);

describe('RFC 8785 serializer of the standalone verifier', () => {
  test('writes what the canonicalize package writes, for any JSON value', () => {
    fc.assert(fc.property(fc.jsonValue(), (v) => {
      expect(verifier.canonicalJson(v)).toBe(canonicalize(v));
    }), { numRuns: 2000 });
  });

  test('numbers as RFC 8785 §3.2.2.3 writes them (ECMAScript shortest round trip), -0 as 0', () => {
    fc.assert(fc.property(fc.double({ noNaN: true, noDefaultInfinity: true }), (n) => {
      expect(verifier.canonicalJson({ n })).toBe(canonicalize({ n }));
    }), { numRuns: 2000 });
    expect(verifier.canonicalJson(-0)).toBe('0');
  });

  test('the example of RFC 8785 §3.2.3 (sorting by UTF-16 code units, escapes, numbers)', () => {
    const input = JSON.parse('{"numbers":[333333333.33333329,1E30,4.50,2e-3,0.000000000000000000000000001],'
      + '"string":"\\u20ac$\\u000F\\u000aA\'\\u0042\\u0022\\u005c\\\\\\"\\/","literals":[null,true,false],'
      + '"\\u20ac":1,"\\r":2,"\\ud83d\\ude00":3,"\\ufb33":4}') as unknown;
    expect(verifier.canonicalJson(input)).toBe(
      '{"\\r":2,"literals":[null,true,false],"numbers":[333333333.3333333,1e+30,4.5,0.002,1e-27],'
      + '"string":"€$\\u000f\\nA\'B\\"\\\\\\\\\\"/","\u20ac":1,"\ud83d\ude00":3,"\ufb33":4}',
    );
  });

  // Keys that are array indices, where libs/db/canonical-json (and so every chained hash) departs from RFC 8785.
  const indexKeyed = fc.dictionary(fc.oneof(fc.string(), fc.nat().map(String), fc.constantFrom('4294967294', '4294967295', '01', '-1')), fc.jsonValue());
  // The server's function drops a "__proto__" key (an assignment to the prototype), and a payload is stored
  // as it hashed it: no stored payload has one. The verifier keeps such a key, so one added to a bundle fails.
  const noProto = (v: unknown) => !JSON.stringify(v).includes('"__proto__":');

  test('the chained content serializer writes what the server hashes (libs/db/canonical-json), index keys too', () => {
    fc.assert(fc.property(fc.oneof(fc.jsonValue(), indexKeyed, fc.array(indexKeyed)).filter(noProto), (v) => {
      expect(verifier.chainedJson(v)).toBe(serverCanonicalJson(v));
    }), { numRuns: 2000 });
  });

  test('without array-index keys the chained content serialization is RFC 8785; with them it puts them first', () => {
    fc.assert(fc.property(fc.jsonValue(), (v) => {
      if (!/"(0|[1-9]\d*)":/.test(JSON.stringify(v))) expect(verifier.chainedJson(v)).toBe(canonicalize(v));
    }), { numRuns: 2000 });
    expect(verifier.chainedJson({ b: 1, 10: 2, 9: 3, '': 4 })).toBe('{"9":3,"10":2,"":4,"b":1}');
    expect(verifier.canonicalJson({ b: 1, 10: 2, 9: 3, '': 4 })).toBe('{"":4,"10":2,"9":3,"b":1}');
  });

  test('refuses what JSON cannot hold', () => {
    expect(() => verifier.canonicalJson({ n: Number.NaN })).toThrow(/not a JSON number/);
    expect(() => verifier.canonicalJson({ n: Infinity })).toThrow(/not a JSON number/);
  });
});

describe('verifyBundle', () => {
  test('a bundle made with the server formulas verifies, with the published key too', () => {
    const r = verifier.verifyBundle(good, { publishedKey: publicKeyHex });
    expect(r).toMatchObject({ ok: true, events: 42, runs: 1 });
    expect(r.problem).toBeUndefined();
    expect(r.lines.join('\n')).toMatch(/signature ok[\s\S]*events: 42 \(40 of chain workflow:synthetic-onboarding-1 from position 1, 2 legacy\)/);
    expect(r.lines.join('\n')).toMatch(/replay: not checked here/);
    expect(verifier.verifyBundle(good).notes.join('\n')).toMatch(/--key/);
  });

  test('another published key: refused, naming the key', () => {
    const other = syntheticBundle({ events: 1 }).publicKeyHex;
    const r = verifier.verifyBundle(good, { publishedKey: other });
    expect(r.ok).toBe(false);
    expect(r.problem?.where).toBe('publicKey, field publicKeyHex');
  });

  test('histories left out at export: the events verify, the histories are said to be unchecked; a bundle that says so and holds runs fails', () => {
    const lean = { ...copy(), historiesIncluded: false, runs: [], buildId: null };
    const r = verifier.verifyBundle(lean, { publishedKey: publicKeyHex });
    expect(r.ok).toBe(true);
    expect(r.lines.join('\n')).toMatch(/histories: left out at export \(personal data\): the 1 archived run\(s\) the trail names are not checked/);
    const claims = verifier.verifyBundle({ ...copy(), historiesIncluded: false }, { publishedKey: publicKeyHex });
    expect(claims).toMatchObject({ ok: false, problem: { where: 'bundle, field historiesIncluded' } });
  });

  const cases: [string, (b: AuditBundle) => void, RegExp][] = [
    ['an event payload value', (b) => { (b.events[10]!.payload.run as { percent: number }).percent += 1; },
      /^event 10 \(seq \d+, chain workflow:synthetic-onboarding-1 position 9\)$/],
    ['an event actor', (b) => { b.events[5]!.actor = 'manager:tesT'; }, /^event 5 \(seq \d+, chain workflow:\S+ position 4\)$/],
    ['an event time (a millisecond)', (b) => { b.events[3]!.occurredAt = b.events[3]!.occurredAt.replace('.000Z', '.001Z'); }, /^event 3 /],
    ['an event seq', (b) => { b.events[20]!.seq += 1; }, /^event 20 /],
    ['an event hash', (b) => { b.events[7]!.hash = flipHex(b.events[7]!.hash, 5); }, /^event 7 .*, field hash$/],
    ['the next event\'s prevHash', (b) => { b.events[8]!.prevHash = flipHex(b.events[8]!.prevHash); }, /^event 8 .*, field prevHash$/],
    ['a legacy row', (b) => { b.events[0]!.payload.n = 5; }, /^event 0 \(seq 1, chain legacy position 1\)$/],
    ['a proof node', (b) => { b.events[30]!.proof[2] = flipHex(b.events[30]!.proof[2]!, 63); }, /^event 30 .*, leaf \d+, field proof$/],
    ['a leaf index', (b) => { b.events[30]!.leafIndex += 1; }, /^event 30 .*, leaf \d+, field proof$/],
    ['the checkpoint signature', (b) => { b.checkpoint.signature = `${b.checkpoint.signature.startsWith('A') ? 'B' : 'A'}${b.checkpoint.signature.slice(1)}`; }, /^checkpoint \(tree size \d+\), field signature$/],
    ['the checkpoint root', (b) => { b.checkpoint.rootHash = flipHex(b.checkpoint.rootHash, 9); }, /^checkpoint \(tree size \d+\), field signature$/],
    ['the checkpoint time', (b) => { b.checkpoint.signedAt = b.checkpoint.signedAt.replace('08:', '09:'); }, /^checkpoint .*, field signature$/],
    ['the history bytes', (b) => { b.runs[0]!.history = `${b.runs[0]!.history.slice(0, 4)}X${b.runs[0]!.history.slice(5)}`; }, /^run 0 \(run-1\), field history$/],
    ['the history digest', (b) => { b.runs[0]!.sha256 = flipHex(b.runs[0]!.sha256); }, /^run 0 \(run-1\), field history$/],
    ['the run id', (b) => { b.runs[0]!.runId = 'run-2'; }, /^event seq \d+, field payload.runId$/],
    ['an event left out', (b) => { b.events.splice(12, 1); }, /^event 12 .*, field chainSeq$/],
    ['two events swapped', (b) => { [b.events[12], b.events[13]] = [b.events[13]!, b.events[12]!]; }, /^event 12 .*, field chainSeq$/],
    ['an event of another workflow', (b) => { b.events[4]!.workflowId = 'another'; }, /^event 4 .*, field workflowId$/],
  ];
  test('a "__proto__" member added to a payload fails (the server never stores one)', () => {
    const b = copy();
    b.events[6]!.payload = JSON.parse(JSON.stringify(b.events[6]!.payload).replace(/^\{/, '{"__proto__":{"x":1},')) as Record<string, unknown>;
    expect(verifier.verifyBundle(b, { publishedKey: publicKeyHex }).problem?.where).toMatch(/^event 6 /);
  });

  test.each(cases)('a changed %s fails and names where', (_what, change, where) => {
    const b = copy();
    change(b);
    const r = verifier.verifyBundle(b, { publishedKey: publicKeyHex });
    expect(r.ok).toBe(false);
    expect(r.problem?.where).toMatch(where);
  });

  test('one character changed anywhere but in the descriptive fields: the file does not verify, and says where', () => {
    const text = `${canonicalize(good)!}\n`;
    expect(verifier.verifyText(text, { publishedKey: publicKeyHex }).ok).toBe(true);
    const alnum = '0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ';
    // exportedAt and notCheckpointed describe the export; nothing signed covers them (docs/audit-bundle.md).
    const evidence = [...text].map((c, i) => (/[0-9A-Za-z]/.test(c) && !DESCRIPTIVE.test(memberAt(text, i)) ? i : -1)).filter((i) => i >= 0);
    fc.assert(fc.property(fc.constantFrom(...evidence), fc.integer({ min: 1, max: alnum.length - 1 }), (at, shift) => {
      const changed = text.slice(0, at) + alnum[(alnum.indexOf(text[at]!) + shift) % alnum.length]! + text.slice(at + 1);
      const r = verifier.verifyText(changed, { publishedKey: publicKeyHex });
      expect(r.ok).toBe(false);
      expect(r.problem?.where).toMatch(/^(file|event|checkpoint|run|publicKey|bundle)/);
    }), { numRuns: 500 });
  });

  test('a number written otherwise (the same value): the file is not canonical, and the character is named', () => {
    const text = `${canonicalize(good)!}\n`;
    const at = text.indexOf('"ratio":') + '"ratio":'.length;
    const r = verifier.verifyText(`${text.slice(0, at)}${text.slice(at).replace(/^(\d+\.\d+)/, '$10')}`, { publishedKey: publicKeyHex });
    expect(r).toMatchObject({ ok: false, problem: { where: expect.stringMatching(/^file, character \d+$/) } });
  });
});

const DESCRIPTIVE = /^"(exportedAt|buildId|notCheckpointed)":$/;

/** The top-level member of the canonical text a position falls in (the last top-level key before it). */
function memberAt(text: string, at: number): string {
  const keys = ['"buildId":', '"checkpoint":', '"events":', '"exportedAt":', '"format":', '"historiesIncluded":', '"notCheckpointed":', '"publicKey":', '"runs":'];
  let best = '';
  let bestAt = -1;
  for (const k of keys) {
    const i = text.indexOf(k);
    if (i >= 0 && i <= at && i > bestAt) [best, bestAt] = [k, i];
  }
  return best;
}
