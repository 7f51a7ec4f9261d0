import { randomBytes } from 'node:crypto';
import fc from 'fast-check';
import { isSealed } from '../domain/personal-data';
import { seal, unseal } from './sealing';

const key = randomBytes(32);

describe('sealing personal values', () => {
  test('any JSON value opens as it was sealed, under its key only', () => {
    fc.assert(fc.property(fc.jsonValue(), (value) => {
      const sealed = seal(value, 'k1', key);
      expect(isSealed(sealed)).toBe(true);
      expect(unseal(sealed, key)).toEqual(JSON.parse(JSON.stringify(value)));
      expect(unseal(sealed, randomBytes(32))).toBeUndefined();
    }), { numRuns: 200 });
  });

  test('the text is not readable in the sealed value, and the same text seals differently each time', () => {
    const a = seal('Maija Virtanen presented', 'k1', key);
    const b = seal('Maija Virtanen presented', 'k1', key);
    expect(JSON.stringify(a)).not.toContain('Maija');
    expect(a.ct).not.toBe(b.ct);
  });

  test('a changed byte, or the value moved under another key id, does not open', () => {
    const sealed = seal({ comment: 'approved as presented' }, 'k1', key);
    const ct = Buffer.from(sealed.ct, 'base64');
    ct[0] = (ct[0] ?? 0) ^ 1;
    expect(unseal({ ...sealed, ct: ct.toString('base64') }, key)).toBeUndefined();
    expect(unseal({ ...sealed, kid: 'k2' }, key)).toBeUndefined();
    expect(unseal({ ...sealed, tag: Buffer.alloc(16).toString('base64') }, key)).toBeUndefined();
  });
});
