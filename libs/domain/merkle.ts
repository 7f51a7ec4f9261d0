/**
 * The Merkle tree of RFC 6962 / RFC 9162 (§2.1): the hashing, the split rule for sizes that are not a
 * power of two, inclusion and consistency proofs and their verification. Pure functions over 32-byte
 * hashes; the audit log keeps one leaf per chained audit event (the leaf's data is the event's hash).
 * Sizes are plain numbers (below 2^53), so halving is done with arithmetic, not with 32-bit shifts.
 */
import { hash } from 'node:crypto';

export type Hash = Buffer;

// One-shot hashing over the joined parts: half the cost of a Hash object per node, which a full verify
// pays for every leaf and every interior node of the log.
const sha256 = (...parts: Buffer[]): Hash => hash('sha256', parts.length === 1 ? parts[0]! : Buffer.concat(parts), 'buffer');

const LEAF = Buffer.from([0x00]);
const NODE = Buffer.from([0x01]);

/** MTH({d}) = SHA-256(0x00 || d). */
export function leafHash(data: Buffer): Hash {
  return sha256(LEAF, data);
}

/** An interior node: SHA-256(0x01 || left || right). */
export function nodeHash(left: Hash, right: Hash): Hash {
  return sha256(NODE, left, right);
}

/** The root of the empty tree: SHA-256 of nothing. */
export const EMPTY_ROOT: Hash = sha256();

/** The largest power of two smaller than n (n ≥ 2): RFC 6962's split point. */
export function splitPoint(n: number): number {
  let k = 1;
  while (k * 2 < n) k *= 2;
  return k;
}

/** MTH(D[n]) over leaf hashes. */
export function rootOf(leaves: readonly Hash[]): Hash {
  if (leaves.length === 0) return EMPTY_ROOT;
  return subtreeRoot(leaves, 0, leaves.length);
}

function subtreeRoot(leaves: readonly Hash[], from: number, to: number): Hash {
  const n = to - from;
  if (n === 1) return leaves[from] as Hash;
  const k = splitPoint(n);
  return nodeHash(subtreeRoot(leaves, from, from + k), subtreeRoot(leaves, from + k, to));
}

/** PATH(m, D[n]): the audit path of leaf `index` in the tree of the given leaves. */
export function inclusionProof(leaves: readonly Hash[], index: number): Hash[] {
  return pathOf(leaves, index, (from, to) => subtreeRoot(leaves, from, to));
}

/**
 * The audit paths of many leaves of one tree: each subtree root is computed once and shared between the
 * paths (one proof alone costs a pass over every leaf; a bundle of a workflow's events needs hundreds).
 */
export function inclusionProofs(leaves: readonly Hash[], indices: readonly number[]): Hash[][] {
  const roots = new Map<string, Hash>();
  const memo = (from: number, to: number): Hash => {
    const key = `${from}:${to}`;
    let r = roots.get(key);
    if (!r) {
      const n = to - from;
      r = n === 1 ? (leaves[from] as Hash) : nodeHash(memo(from, from + splitPoint(n)), memo(from + splitPoint(n), to));
      roots.set(key, r);
    }
    return r;
  };
  return indices.map((index) => pathOf(leaves, index, memo));
}

function pathOf(leaves: readonly Hash[], index: number, root: (from: number, to: number) => Hash): Hash[] {
  if (!Number.isInteger(index) || index < 0 || index >= leaves.length) throw new RangeError(`leaf ${index} is not in a tree of ${leaves.length}`);
  const path: Hash[] = [];
  let from = 0;
  let to = leaves.length;
  let m = index;
  // Walks down from the root; the siblings are collected top-down and returned bottom-up.
  while (to - from > 1) {
    const k = splitPoint(to - from);
    if (m < k) {
      path.push(root(from + k, to));
      to = from + k;
    } else {
      path.push(root(from, from + k));
      from += k;
      m -= k;
    }
  }
  return path.reverse();
}

const odd = (x: number) => x % 2 === 1;
const half = (x: number) => Math.floor(x / 2);

/** RFC 9162 §2.1.3.2: does `proof` place the leaf hash at `index` in the tree of `size` with this root? */
export function verifyInclusion(leaf: Hash, index: number, size: number, proof: readonly Hash[], root: Hash): boolean {
  if (!Number.isInteger(index) || !Number.isInteger(size) || index < 0 || index >= size) return false;
  let fn = index;
  let sn = size - 1;
  let r = leaf;
  for (const p of proof) {
    if (sn === 0) return false;
    if (odd(fn) || fn === sn) {
      r = nodeHash(p, r);
      if (!odd(fn)) {
        while (!odd(fn) && fn !== 0) {
          fn = half(fn);
          sn = half(sn);
        }
      }
    } else {
      r = nodeHash(r, p);
    }
    fn = half(fn);
    sn = half(sn);
  }
  return sn === 0 && r.equals(root);
}

/** PROOF(m, D[n]): that the tree of the first `m` leaves is a prefix of the tree of all of them. */
export function consistencyProof(leaves: readonly Hash[], m: number): Hash[] {
  const n = leaves.length;
  if (!Number.isInteger(m) || m < 0 || m > n) throw new RangeError(`size ${m} is not within a tree of ${n}`);
  if (m === 0 || m === n) return [];
  return subproof(leaves, m, 0, n, true);
}

function subproof(leaves: readonly Hash[], m: number, from: number, to: number, complete: boolean): Hash[] {
  const n = to - from;
  if (m === n) return complete ? [] : [subtreeRoot(leaves, from, to)];
  const k = splitPoint(n);
  if (m <= k) return [...subproof(leaves, m, from, from + k, complete), subtreeRoot(leaves, from + k, to)];
  return [...subproof(leaves, m - k, from + k, to, false), subtreeRoot(leaves, from, from + k)];
}

const isPowerOfTwo = (x: number) => {
  let v = x;
  while (v > 1 && !odd(v)) v = half(v);
  return v === 1;
};

/** RFC 9162 §2.1.4.2: is the tree of `second` leaves with `secondRoot` an extension of the one of `first`? */
export function verifyConsistency(first: number, second: number, firstRoot: Hash, secondRoot: Hash, proof: readonly Hash[]): boolean {
  if (!Number.isInteger(first) || !Number.isInteger(second) || first < 0 || first > second) return false;
  if (first === second) return proof.length === 0 && firstRoot.equals(secondRoot);
  // Every tree extends the empty one; there is nothing to prove.
  if (first === 0) return proof.length === 0 && firstRoot.equals(EMPTY_ROOT);
  if (proof.length === 0) return false;
  const path = isPowerOfTwo(first) ? [firstRoot, ...proof] : [...proof];
  let fn = first - 1;
  let sn = second - 1;
  while (odd(fn)) {
    fn = half(fn);
    sn = half(sn);
  }
  let fr = path[0] as Hash;
  let sr = path[0] as Hash;
  for (const c of path.slice(1)) {
    if (sn === 0) return false;
    if (odd(fn) || fn === sn) {
      fr = nodeHash(c, fr);
      sr = nodeHash(c, sr);
      if (!odd(fn)) {
        while (!odd(fn) && fn !== 0) {
          fn = half(fn);
          sn = half(sn);
        }
      }
    } else {
      sr = nodeHash(sr, c);
    }
    fn = half(fn);
    sn = half(sn);
  }
  return sn === 0 && fr.equals(firstRoot) && sr.equals(secondRoot);
}

/**
 * The right edge of a tree: the roots of its perfect subtrees, largest first (one per set bit of the
 * size). Enough to append leaves and to compute the root without the earlier leaves, so a checkpoint
 * or an incremental verification carries on from where the last one stopped.
 */
export type Frontier = { size: number; hash: Hash }[];

export function frontierAppend(frontier: Frontier, leaves: readonly Hash[]): Frontier {
  const f = frontier.map((e) => ({ ...e }));
  for (const leaf of leaves) {
    f.push({ size: 1, hash: leaf });
    while (f.length >= 2 && f[f.length - 1]!.size === f[f.length - 2]!.size) {
      const right = f.pop()!;
      const left = f.pop()!;
      f.push({ size: left.size * 2, hash: nodeHash(left.hash, right.hash) });
    }
  }
  return f;
}

/** The tree size a frontier stands for. */
export function frontierSize(frontier: Frontier): number {
  return frontier.reduce((n, e) => n + e.size, 0);
}

/** The RFC 6962 root: the split rule makes the largest perfect subtree the left child at every level. */
export function frontierRoot(frontier: Frontier): Hash {
  if (frontier.length === 0) return EMPTY_ROOT;
  let r = frontier[frontier.length - 1]!.hash;
  for (let i = frontier.length - 2; i >= 0; i -= 1) r = nodeHash(frontier[i]!.hash, r);
  return r;
}

/** A frontier as JSON (hex hashes), for storage beside a checkpoint or a verification. */
export function frontierToJson(frontier: Frontier): { size: number; hash: string }[] {
  return frontier.map((e) => ({ size: e.size, hash: e.hash.toString('hex') }));
}

export function frontierFromJson(json: readonly { size: number; hash: string }[]): Frontier {
  return json.map((e) => ({ size: e.size, hash: Buffer.from(e.hash, 'hex') }));
}
