import { createHash } from 'node:crypto';
import fc from 'fast-check';
import {
  consistencyProof, EMPTY_ROOT, frontierAppend, frontierFromJson, frontierRoot, frontierSize, frontierToJson, inclusionProof, inclusionProofs, leafHash,
  rootOf, splitPoint, verifyConsistency, verifyInclusion,
} from './merkle';

// The test inputs of the Certificate Transparency reference implementation (RFC 6962 trees).
const CT_INPUTS = ['', '00', '10', '2021', '3031', '40414243', '5051525354555657', '606162636465666768696a6b6c6d6e6f'];
const CT_ROOTS: Record<number, string> = {
  1: '6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d',
  2: 'fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125',
  3: 'aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77',
  8: '5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328',
};

const ctLeaves = CT_INPUTS.map((h) => leafHash(Buffer.from(h, 'hex')));
const leavesOf = (n: number) => Array.from({ length: n }, (_, i) => leafHash(Buffer.from(`event ${i}`)));
const flip = (b: Buffer, at = 0) => {
  const c = Buffer.from(b);
  c[at % c.length] = (c[at % c.length]! ^ 0x01) & 0xff;
  return c;
};

describe('RFC 6962 Merkle tree', () => {
  test('the empty tree is SHA-256 of nothing and the split point is the largest power of two below n', () => {
    expect(EMPTY_ROOT.toString('hex')).toBe(createHash('sha256').digest('hex'));
    expect([2, 3, 4, 5, 8, 9, 1000].map(splitPoint)).toEqual([1, 2, 2, 4, 4, 8, 512]);
  });

  test.each(Object.entries(CT_ROOTS))('the root of the first %s reference leaves matches the reference', (n, hex) => {
    expect(rootOf(ctLeaves.slice(0, Number(n))).toString('hex')).toBe(hex);
  });

  test('a leaf is hashed with 0x00 and a node with 0x01 (second-preimage resistance)', () => {
    const two = leavesOf(2);
    const node = createHash('sha256').update(Buffer.from([1])).update(two[0]!).update(two[1]!).digest();
    expect(rootOf(two).equals(node)).toBe(true);
    expect(leafHash(Buffer.concat(two)).equals(node)).toBe(false);
  });

  test('every inclusion proof verifies, and against no other leaf, index or root', () => {
    fc.assert(fc.property(fc.integer({ min: 1, max: 70 }), fc.nat(), (size, i) => {
      const leaves = leavesOf(size);
      const index = i % size;
      const root = rootOf(leaves);
      const proof = inclusionProof(leaves, index);
      expect(verifyInclusion(leaves[index]!, index, size, proof, root)).toBe(true);
      expect(verifyInclusion(flip(leaves[index]!, i), index, size, proof, root)).toBe(false);
      expect(verifyInclusion(leaves[index]!, index, size, proof, flip(root))).toBe(false);
      if (size > 1) expect(verifyInclusion(leaves[index]!, (index + 1) % size, size, proof, root)).toBe(false);
      if (proof.length > 0) expect(verifyInclusion(leaves[index]!, index, size, [flip(proof[0]!), ...proof.slice(1)], root)).toBe(false);
    }), { numRuns: 300 });
  });

  test('the proofs of many leaves at once (shared subtree roots) are each leaf\'s own proof', () => {
    fc.assert(fc.property(fc.integer({ min: 1, max: 90 }), fc.array(fc.nat(), { minLength: 1, maxLength: 12 }), (size, picks) => {
      const leaves = leavesOf(size);
      const indices = picks.map((p) => p % size);
      expect(inclusionProofs(leaves, indices)).toEqual(indices.map((index) => inclusionProof(leaves, index)));
    }), { numRuns: 200 });
    expect(() => inclusionProofs(leavesOf(3), [3])).toThrow(RangeError);
  });

  test('a changed leaf changes the root, so its old proof fails', () => {
    fc.assert(fc.property(fc.integer({ min: 1, max: 40 }), fc.nat(), fc.nat(), (size, i, b) => {
      const leaves = leavesOf(size);
      const index = i % size;
      const changed = leaves.map((l, j) => (j === index ? flip(l, b) : l));
      expect(rootOf(changed).equals(rootOf(leaves))).toBe(false);
      expect(verifyInclusion(changed[index]!, index, size, inclusionProof(leaves, index), rootOf(leaves))).toBe(false);
    }), { numRuns: 200 });
  });

  test('every consistency proof between two sizes verifies; a changed early leaf or a wrong root fails', () => {
    fc.assert(fc.property(fc.integer({ min: 1, max: 70 }), fc.nat(), fc.nat(), (n, a, b) => {
      const leaves = leavesOf(n);
      const m = a % (n + 1);
      const first = rootOf(leaves.slice(0, m));
      const second = rootOf(leaves);
      const proof = consistencyProof(leaves, m);
      expect(verifyConsistency(m, n, first, second, proof)).toBe(true);
      if (m > 0) {
        // (Every tree extends the empty one, so only a non-empty first tree pins the second root.)
        expect(verifyConsistency(m, n, first, flip(second), proof)).toBe(false);
        // The old tree with one leaf changed: its root is not a prefix of the new tree.
        const rewritten = leaves.map((l, j) => (j === b % m ? flip(l) : l));
        expect(verifyConsistency(m, n, rootOf(rewritten.slice(0, m)), second, proof)).toBe(false);
        if (m < n) expect(verifyConsistency(m, n, first, rootOf(rewritten), proof)).toBe(false);
      }
    }), { numRuns: 300 });
  });

  test('the RFC example: consistency between 3 and 7 leaves is the four hashes of §2.1.5', () => {
    const leaves = leavesOf(7);
    const proof = consistencyProof(leaves, 3);
    expect(proof).toHaveLength(4);
    expect(proof[0]!.equals(leaves[2]!)).toBe(true);
    expect(verifyConsistency(3, 7, rootOf(leaves.slice(0, 3)), rootOf(leaves), proof)).toBe(true);
  });

  test('a frontier built in any number of steps gives the same root as the whole tree', () => {
    fc.assert(fc.property(fc.integer({ min: 0, max: 80 }), fc.array(fc.nat(), { maxLength: 5 }), (n, cuts) => {
      const leaves = leavesOf(n);
      const points = [...new Set(cuts.map((c) => (n === 0 ? 0 : c % n)))].sort((x, y) => x - y);
      let f = frontierAppend([], []);
      let at = 0;
      for (const p of [...points, n]) {
        f = frontierFromJson(frontierToJson(frontierAppend(f, leaves.slice(at, p))));
        at = p;
        expect(frontierSize(f)).toBe(p);
        expect(frontierRoot(f).equals(rootOf(leaves.slice(0, p)))).toBe(true);
      }
    }), { numRuns: 200 });
  });

  test('proofs of leaves that are not there are refused', () => {
    expect(() => inclusionProof(leavesOf(3), 3)).toThrow(RangeError);
    expect(() => consistencyProof(leavesOf(3), 4)).toThrow(RangeError);
    expect(verifyInclusion(leavesOf(1)[0]!, 1, 1, [], rootOf(leavesOf(1)))).toBe(false);
    expect(verifyConsistency(4, 3, EMPTY_ROOT, EMPTY_ROOT, [])).toBe(false);
  });
});
