#!/usr/bin/env node
// Verifies a Fuusio audit bundle (format fuusio-audit-bundle/1, described in docs/audit-bundle.md)
// with Node.js alone: no Fuusio server, no database, no npm package. Meant to be read in one sitting.
//
//   usage: node tools/verify-bundle.cjs <bundle.json> [--key <published key: 64 hex digits or a PEM file>] [--json]
//   exit:  0 verified, 1 not verified (the message names the event, leaf, run or field), 2 usage error
//
// What it checks: every event's hash, recomputed from its content; the links of the workflow's chain
// from its first position on; each event's RFC 6962 inclusion proof up to the root of one checkpoint;
// that checkpoint's Ed25519 signature, against the key given with --key (the bundle's own key otherwise);
// and that each archived run's history bytes have the SHA-256 its `history.archived` event chains.
// What it does not check: that the histories replay against the workflow code (`fuusio verify --replay`).
'use strict';

const { Buffer } = require('node:buffer');
const { createHash, createPrivateKey, createPublicKey, verify } = require('node:crypto');
const { readFileSync } = require('node:fs');

const FORMAT = 'fuusio-audit-bundle/1';
const GENESIS_HASH = '0'.repeat(64);
/** The chain of the rows written before per-workflow chains existed: hashed with the older formula. */
const LEGACY_CHAIN = 'legacy';
const HEX64 = /^[0-9a-f]{64}$/;

// ---------------------------------------------------------------- RFC 8785 (JSON Canonicalization Scheme)
// Object keys sorted by UTF-16 code units (what Array.prototype.sort does with strings), no whitespace,
// strings and numbers as ECMAScript's JSON.stringify writes them (RFC 8785 §3.2.2 defines them so).
function canonicalJson(value) {
  return serialize(value, (keys) => keys.sort());
}

// The content Fuusio chains is serialized as JSON.stringify writes an object whose keys were inserted in
// sorted order (libs/db/canonical-json.ts). That is RFC 8785 but for one case: JavaScript puts the keys
// that are array indices ("0", "42") first, in numeric order. Payloads rarely have such keys; when they
// do, only this order gives the hash Fuusio computed.
const isIndex = (k) => /^(0|[1-9][0-9]*)$/.test(k) && Number(k) < 4294967295;
function chainedJson(value) {
  return serialize(value, (keys) => {
    const sorted = keys.sort();
    return [...sorted.filter(isIndex).sort((a, b) => Number(a) - Number(b)), ...sorted.filter((k) => !isIndex(k))];
  });
}

function serialize(value, order) {
  if (typeof value === 'number' && !Number.isFinite(value)) throw new Error(`${value} is not a JSON number`);
  if (value === null || typeof value === 'number' || typeof value === 'boolean' || typeof value === 'string') return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map((v) => serialize(v, order)).join(',')}]`;
  if (typeof value === 'object') {
    const keys = order(Object.keys(value).filter((k) => value[k] !== undefined));
    return `{${keys.map((k) => `${JSON.stringify(k)}:${serialize(value[k], order)}`).join(',')}}`;
  }
  throw new Error(`a ${typeof value} is not JSON`);
}

// ---------------------------------------------------------------- the hash formulas
const sha256 = (...parts) => {
  const h = createHash('sha256');
  for (const p of parts) h.update(p);
  return h.digest();
};
const sha256Hex = (...parts) => sha256(...parts).toString('hex');

/** A link of a workflow's chain: SHA-256 of `prevHash \n chainSeq \n seq \n SHA-256(canonical content)`. */
function linkHash(e) {
  const digest = sha256Hex(chainedJson({
    chainId: e.chainId, idempotencyKey: e.idempotencyKey, workflowId: e.workflowId, action: e.action, actor: e.actor,
    occurredAt: e.occurredAt, payload: e.payload,
  }));
  return sha256Hex(`${e.prevHash}\n${e.chainSeq}\n${e.seq}\n${digest}`);
}

/** A row of the legacy chain: SHA-256 of `prevHash \n canonical content` (the content names seq, not the chain). */
function legacyHash(e) {
  const content = chainedJson({
    seq: e.seq, idempotencyKey: e.idempotencyKey, workflowId: e.workflowId, action: e.action, actor: e.actor,
    occurredAt: e.occurredAt, payload: e.payload,
  });
  return sha256Hex(`${e.prevHash}\n${content}`);
}

// ---------------------------------------------------------------- RFC 6962 / RFC 9162 Merkle tree
const leafHash = (eventHash) => sha256(Buffer.from([0]), Buffer.from(eventHash, 'hex'));
const nodeHash = (left, right) => sha256(Buffer.from([1]), left, right);

/** RFC 9162 §2.1.3.2: does `proof` place `leaf` at `index` in the tree of `size` leaves whose root is `root`? */
function verifyInclusion(leaf, index, size, proof, root) {
  if (!Number.isSafeInteger(index) || !Number.isSafeInteger(size) || index < 0 || index >= size) return false;
  let fn = index;
  let sn = size - 1;
  let r = leaf;
  for (const p of proof) {
    if (sn === 0) return false;
    if (fn % 2 === 1 || fn === sn) {
      r = nodeHash(p, r);
      while (fn % 2 === 0 && fn !== 0) {
        fn = Math.floor(fn / 2);
        sn = Math.floor(sn / 2);
      }
    } else {
      r = nodeHash(r, p);
    }
    fn = Math.floor(fn / 2);
    sn = Math.floor(sn / 2);
  }
  return sn === 0 && r.equals(root);
}

// ---------------------------------------------------------------- the checkpoint signature
// The SPKI (RFC 8410) header in front of a raw 32-byte Ed25519 public key.
const ED25519_SPKI_PREFIX = Buffer.from('302a300506032b6570032100', 'hex');
const publicKeyOf = (rawHex) => createPublicKey({ key: Buffer.concat([ED25519_SPKI_PREFIX, Buffer.from(rawHex, 'hex')]), format: 'der', type: 'spki' });
const keyIdOf = (rawHex) => sha256Hex(Buffer.from(rawHex, 'hex')).slice(0, 16);
// Fuusio signs with a key derived from this published seed when none is configured; its signatures prove nothing.
const DEVELOPMENT_KEY = createPublicKey(createPrivateKey({
  key: Buffer.concat([Buffer.from('302e020100300506032b657004220420', 'hex'), sha256(Buffer.from('fuusio development audit signing key; never use in production'))]),
  format: 'der', type: 'pkcs8',
})).export({ format: 'der', type: 'spki' }).subarray(-32).toString('hex');

/** The exact bytes the checkpointer signs (libs/audit/signing.ts). */
const checkpointStatement = (c) => Buffer.from(`fuusio-audit-checkpoint v1\ntree_size ${c.treeSize}\nroot ${c.rootHash}\nsigned_at ${c.signedAt}\n`, 'utf8');

/** A published key as given on the command line: 64 hex digits, or a PEM file holding the public key. */
function rawKeyFrom(arg) {
  if (HEX64.test(arg)) return arg;
  const key = createPublicKey(readFileSync(arg, 'utf8'));
  if (key.asymmetricKeyType !== 'ed25519') throw new Error(`${arg} is not an Ed25519 public key`);
  return key.export({ format: 'der', type: 'spki' }).subarray(-32).toString('hex');
}

// ---------------------------------------------------------------- the build id a history names
// Just enough of the protobuf wire format to read History.events (field 1) → HistoryEvent's
// workflow_task_completed_event_attributes (12) → worker_version.build_id (5.1), else binary_checksum (4):
// the build id Temporal recorded for the worker that completed each workflow task.
function lengthDelimited(buf, wanted) {
  const out = [];
  let at = 0;
  const varint = () => {
    let n = 0;
    for (let shift = 0; ; shift += 7) {
      if (at >= buf.length) throw new Error('a varint runs past the end');
      const b = buf[at++];
      n += (b & 0x7f) * 2 ** shift;
      if (b < 0x80) return n;
    }
  };
  while (at < buf.length) {
    const key = varint();
    const wire = key % 8;
    if (wire === 0) varint();
    else if (wire === 1) at += 8;
    else if (wire === 5) at += 4;
    else if (wire === 2) {
      const length = varint();
      if (Math.floor(key / 8) === wanted) out.push(buf.subarray(at, at + length));
      at += length;
    } else throw new Error(`wire type ${wire} is not protobuf's`);
    if (at > buf.length) throw new Error('a field runs past the end');
  }
  return out;
}

function buildIdOf(history) {
  let id = null;
  for (const event of lengthDelimited(history, 1)) {
    for (const done of lengthDelimited(event, 12)) {
      const stamp = lengthDelimited(done, 5).flatMap((v) => lengthDelimited(v, 1))[0];
      const named = (stamp && stamp.length > 0 ? stamp : lengthDelimited(done, 4)[0])?.toString('utf8');
      if (named) id = named;
    }
  }
  return id;
}

// ---------------------------------------------------------------- the checks
/** Thrown at the first thing that does not hold; `where` names the event, leaf, run or field. */
class Broken extends Error {
  constructor(where, reason) {
    super(`${where}: ${reason}`);
    this.where = where;
    this.reason = reason;
  }
}

function need(ok, where, reason) {
  if (!ok) throw new Broken(where, reason);
}

const isObject = (v) => v !== null && typeof v === 'object' && !Array.isArray(v);

function field(obj, name, where, test, what) {
  need(isObject(obj) && test(obj[name]), `${where}, field ${name}`, `is missing or not ${what}`);
  return obj[name];
}
const str = (v) => typeof v === 'string';
const hex64 = (v) => typeof v === 'string' && HEX64.test(v);
const count = (v) => Number.isSafeInteger(v) && v >= 0;

/**
 * Verifies a parsed bundle. `publishedKey` (64 hex digits) is the key the auditor trusts; without it the
 * bundle's own key is used and a note says so. Returns { ok, lines, notes, problem?, events, runs }.
 */
function verifyBundle(bundle, { publishedKey } = {}) {
  const lines = [];
  const notes = [];
  const tally = { events: 0, runs: 0 };
  try {
    need(isObject(bundle), 'bundle', 'is not a JSON object');
    need(bundle.format === FORMAT, 'bundle, field format', `is ${JSON.stringify(bundle.format)}, not ${FORMAT}`);
    const workflowId = field(bundle, 'workflowId', 'bundle', str, 'a string');
    lines.push(`bundle of workflow ${workflowId}, exported ${bundle.exportedAt}, build ${bundle.buildId ?? '(none named)'}`);

    // The key, and the checkpoint it signed.
    const key = field(bundle, 'publicKey', 'bundle', isObject, 'an object');
    const rawKey = field(key, 'publicKeyHex', 'publicKey', hex64, '64 hex digits');
    need(key.keyId === keyIdOf(rawKey), 'publicKey, field keyId', `${key.keyId} does not name the key (${keyIdOf(rawKey)})`);
    if (publishedKey) need(rawKey === publishedKey, 'publicKey, field publicKeyHex', `is not the published key ${publishedKey}`);
    else notes.push('the signature was checked against the key the bundle carries: pass --key <published key> to check it against the one Fuusio publishes');
    need(key.algorithm === 'Ed25519', 'publicKey, field algorithm', `is ${JSON.stringify(key.algorithm)}, not Ed25519`);
    need(key.development === (rawKey === DEVELOPMENT_KEY), 'publicKey, field development', `says ${key.development}, but the key is ${rawKey === DEVELOPMENT_KEY ? '' : 'not '}the published development key`);
    if (key.development) notes.push('the checkpoint is signed with the published development key: anyone can forge it');
    const cp = field(bundle, 'checkpoint', 'bundle', isObject, 'an object');
    const at = `checkpoint (tree size ${cp.treeSize})`;
    field(cp, 'treeSize', at, (v) => count(v) && v > 0, 'a positive integer');
    field(cp, 'rootHash', at, hex64, '64 hex digits');
    field(cp, 'signedAt', at, str, 'a string');
    need(cp.keyId === keyIdOf(rawKey), `${at}, field keyId`, `${cp.keyId} does not name the key ${keyIdOf(rawKey)}`);
    const signature = Buffer.from(field(cp, 'signature', at, str, 'a string'), 'base64');
    // Base64 has spare bits in its last character: a changed spare bit must not go unnoticed.
    need(signature.toString('base64') === cp.signature, `${at}, field signature`, 'is not canonical base64 (a character was changed)');
    let signed = false;
    try {
      signed = verify(null, checkpointStatement(cp), publicKeyOf(rawKey), signature);
    } catch {
      signed = false;
    }
    need(signed, `${at}, field signature`, `does not verify against key ${cp.keyId}`);
    lines.push(`checkpoint: tree size ${cp.treeSize}, root ${cp.rootHash}, signed ${cp.signedAt} by key ${cp.keyId}: signature ok`);

    // Every event: its hash from its content, its link to the one before, its leaf in the signed tree.
    const root = Buffer.from(cp.rootHash, 'hex');
    const events = field(bundle, 'events', 'bundle', Array.isArray, 'an array');
    const chainId = `workflow:${workflowId}`;
    const leaves = new Set();
    let tip = { chainSeq: 0, hash: GENESIS_HASH, seq: 0 };
    let lastSeq = 0;
    let legacy = 0;
    for (const [i, e] of events.entries()) {
      const where = `event ${i} (seq ${isObject(e) ? e.seq : '?'}, chain ${isObject(e) ? e.chainId : '?'} position ${isObject(e) ? e.chainSeq : '?'})`;
      need(isObject(e), `event ${i}`, 'is not an object');
      for (const name of ['seq', 'chainSeq', 'leafIndex']) field(e, name, where, count, 'a non-negative integer');
      for (const name of ['chainId', 'idempotencyKey', 'action', 'actor', 'occurredAt']) field(e, name, where, str, 'a string');
      for (const name of ['prevHash', 'hash']) field(e, name, where, hex64, '64 hex digits');
      field(e, 'payload', where, isObject, 'an object');
      field(e, 'proof', where, (v) => Array.isArray(v) && v.every(hex64), 'a list of 64-hex-digit hashes');
      need(e.workflowId === workflowId, `${where}, field workflowId`, `is ${JSON.stringify(e.workflowId)}, not the bundle's workflow`);
      need(e.seq > lastSeq, `${where}, field seq`, `is not after the event before it (seq ${lastSeq})`);
      lastSeq = e.seq;
      if (e.chainId === LEGACY_CHAIN) {
        // Legacy rows of all workflows shared one chain, so the row before is another workflow's: only the hash is checked here.
        need(e.chainSeq === e.seq, `${where}, field chainSeq`, 'a legacy row keeps its seq as its chain position');
        need(tip.chainSeq === 0, `${where}, field chainId`, 'a legacy row after the workflow\'s own chain began');
        hashHolds(e, legacyHash(e), where, root, cp.treeSize);
        legacy += 1;
      } else {
        need(e.chainId === chainId, `${where}, field chainId`, `is not the workflow's chain ${chainId}`);
        need(e.chainSeq === tip.chainSeq + 1, `${where}, field chainSeq`, `chain position ${tip.chainSeq + 1} is missing`);
        need(e.prevHash === tip.hash, `${where}, field prevHash`, tip.chainSeq === 0 ? 'the first link must follow the genesis hash' : `does not name the link before (seq ${tip.seq})`);
        hashHolds(e, linkHash(e), where, root, cp.treeSize);
        tip = { chainSeq: e.chainSeq, hash: e.hash, seq: e.seq };
      }
      need(!leaves.has(e.leafIndex), `${where}, field leafIndex`, `leaf ${e.leafIndex} is claimed twice`);
      leaves.add(e.leafIndex);
      tally.events += 1;
    }
    lines.push(`events: ${events.length} (${tip.chainSeq} of chain ${chainId} from position 1, ${legacy} legacy): every hash recomputed, every link and inclusion proof holds`);
    if (bundle.notCheckpointed > 0) notes.push(`${bundle.notCheckpointed} later event(s) of the chain were not in a signed checkpoint at export and are not in the bundle`);

    // Every run's history bytes against the digest its `history.archived` event chains.
    const archived = new Map();
    for (const e of events) if (e.action === 'history.archived' && isObject(e.payload)) archived.set(e.payload.runId, e);
    const runs = field(bundle, 'runs', 'bundle', Array.isArray, 'an array');
    if (field(bundle, 'historiesIncluded', 'bundle', (v) => typeof v === 'boolean', 'true or false') === false) {
      need(runs.length === 0, 'bundle, field historiesIncluded', `is false, yet the bundle holds ${runs.length} run(s)`);
      need(bundle.buildId === null, 'bundle, field buildId', 'names a build, but there is no history to name it');
      lines.push(`histories: left out at export (personal data): the ${archived.size} archived run(s) the trail names are not checked`);
      lines.push('replay: not possible without the histories');
      return { ok: true, lines, notes, ...tally };
    }
    const buildIds = [];
    let chained = 0;
    let latestChained = false;
    for (const [i, run] of runs.entries()) {
      const where = `run ${i} (${isObject(run) ? run.runId : '?'})`;
      field(run, 'runId', where, str, 'a string');
      const base64 = field(run, 'history', where, str, 'a string');
      const bytes = Buffer.from(base64, 'base64');
      // Buffer.from skips characters that are not base64, and ignores the spare bits of the last: neither may slip through.
      need(bytes.toString('base64') === base64, `${where}, field history`, 'is not canonical base64 (a character was changed)');
      const actual = sha256Hex(bytes);
      need(actual === field(run, 'sha256', where, hex64, '64 hex digits'), `${where}, field history`, `its SHA-256 is ${actual}, the bundle says ${run.sha256}`);
      try {
        buildIds.push(buildIdOf(bytes));
      } catch (e) {
        throw new Broken(`${where}, field history`, `is not a Temporal history: ${e.message}`);
      }
      const event = archived.get(run.runId);
      if (event) need(event.payload.sha256 === actual, `${where}, field history`, `its SHA-256 ${actual} is not the one audit event seq ${event.seq} chains (${event.payload.sha256})`);
      chained += event ? 1 : 0;
      latestChained = Boolean(event);
      if (!event) notes.push(`run ${run.runId} is not archived yet: no audit event chains its history, whose bytes are therefore not covered`);
      archived.delete(run.runId);
      tally.runs += 1;
    }
    for (const [runId, e] of archived) need(false, `event seq ${e.seq}, field payload.runId`, `records the archived run ${runId}, whose history is not in the bundle`);
    lines.push(`histories: ${runs.length} run(s), ${chained} matching the SHA-256 the trail chains`);
    const latest = buildIds.length > 0 ? buildIds[buildIds.length - 1] : null;
    need(bundle.buildId === latest, 'bundle, field buildId', `is ${JSON.stringify(bundle.buildId)}, but the latest run's history names ${JSON.stringify(latest)}`);
    if (latest) lines.push(`build: ${latest}, as the latest run's history names it${latestChained ? '' : ' (a history the trail does not cover yet)'}`);
    lines.push('replay: not checked here (Node alone cannot run the workflow code): run `fuusio verify --replay <bundle>`');
    return { ok: true, lines, notes, ...tally };
  } catch (err) {
    if (!(err instanceof Broken)) throw err;
    return { ok: false, lines, notes, problem: { where: err.where, reason: err.reason }, ...tally };
  }
}

/** The event's hash is its content's, and its leaf is in the signed tree; when not, says which of the two was changed. */
function hashHolds(e, recomputed, where, root, treeSize) {
  const proof = e.proof.map((p) => Buffer.from(p, 'hex'));
  const inTree = (hash) => verifyInclusion(leafHash(hash), e.leafIndex, treeSize, proof, root);
  if (recomputed !== e.hash) {
    // The hash the content gives is the one the signed tree holds: the stored hash was changed, not the content.
    if (inTree(recomputed)) throw new Broken(`${where}, field hash`, `was changed: the content gives ${recomputed}, which the checkpoint signs`);
    throw new Broken(where, `its content (or seq, chainSeq, prevHash) does not give its hash: recomputed ${recomputed}, the bundle says ${e.hash}`);
  }
  need(inTree(e.hash), `${where}, leaf ${e.leafIndex}, field proof`, 'the inclusion proof does not lead to the signed root');
}

/**
 * Verifies a bundle file's text: the bundle, then that the file is in the RFC 8785 form Fuusio writes, so
 * that no byte can change unnoticed (not even one that leaves the value alone, as a number's last digit may).
 */
function verifyText(text, opts) {
  let bundle;
  try {
    bundle = JSON.parse(text);
  } catch (e) {
    // JSON.parse names the position where the syntax broke.
    return { ok: false, lines: [], notes: [], problem: { where: 'file', reason: `not JSON: ${e.message}` }, events: 0, runs: 0 };
  }
  const result = verifyBundle(bundle, opts);
  if (!result.ok) return result;
  const canonical = `${canonicalJson(bundle)}\n`;
  if (text !== canonical) {
    let at = 0;
    while (at < text.length && text[at] === canonical[at]) at += 1;
    const near = (s) => JSON.stringify(s.slice(Math.max(0, at - 20), at + 20));
    return { ...result, ok: false, problem: { where: `file, character ${at}`, reason: `not in the RFC 8785 form the bundle was written in: ${near(text)} where the canonical form has ${near(canonical)}` } };
  }
  return result;
}

/** The command line; returns the exit code. */
function main(argv, out = process.stdout, err = process.stderr) {
  const args = [...argv];
  const json = args.includes('--json');
  const k = args.indexOf('--key');
  const keyArg = k >= 0 ? args[k + 1] : undefined;
  const files = args.filter((a, i) => !a.startsWith('--') && (k < 0 || i !== k + 1));
  if (files.length !== 1 || (k >= 0 && !keyArg)) {
    err.write('usage: node verify-bundle.cjs <bundle.json> [--key <published key: 64 hex digits or a PEM file>] [--json]\n');
    return 2;
  }
  let publishedKey;
  let text;
  try {
    if (keyArg) publishedKey = rawKeyFrom(keyArg);
    text = readFileSync(files[0], 'utf8');
  } catch (e) {
    err.write(`${e.message}\n`);
    return 2;
  }
  const result = verifyText(text, { publishedKey });
  report(result, json, out);
  return result.ok ? 0 : 1;
}

function report(result, json, out) {
  if (json) {
    out.write(`${JSON.stringify(result, null, 2)}\n`);
    return;
  }
  for (const line of result.lines) out.write(`${line}\n`);
  for (const note of result.notes) out.write(`note: ${note}\n`);
  out.write(result.ok ? 'VERIFIED\n' : `NOT VERIFIED: ${result.problem.where}: ${result.problem.reason}\n`);
}

module.exports = { FORMAT, canonicalJson, chainedJson, linkHash, legacyHash, verifyInclusion, verifyBundle, verifyText, rawKeyFrom, main };

if (require.main === module) process.exitCode = main(process.argv.slice(2));
