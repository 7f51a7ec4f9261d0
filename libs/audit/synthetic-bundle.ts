/**
 * An audit bundle made without a database or a server, with the same formulas the audit repository, the
 * checkpointer and the signer use: for the bench's verify rate and the standalone verifier's unit tests.
 * Its tree also holds other chains' leaves between the workflow's, as the real log does.
 */
import { temporal } from '@temporalio/proto';
import { createHash, generateKeyPairSync } from 'node:crypto';
import { contentDigest, hashAuditEvent, linkHash, GENESIS_HASH, LEGACY_CHAIN } from '../db/repositories/audit.repository';
import { inclusionProofs, leafHash, rootOf } from '../domain/merkle';
import { BUNDLE_FORMAT, type AuditBundle, type BundleEvent } from './bundle';
import { historyBytes } from '../temporal/history-codec';
import { loadSigningKey, signCheckpoint } from './signing';

export type SyntheticOptions = {
  workflowId?: string;
  /** Events of the workflow's own chain. */
  events: number;
  /** Rows of the legacy chain before them (hashed with the older formula). */
  legacyEvents?: number;
  /** Other chains' leaves logged after each of the workflow's. */
  othersBetween?: number;
  /** The instant of the first event (events are a second apart): fixed, never the clock. */
  start?: Date;
};

const sha = (s: string | Buffer) => createHash('sha256').update(s).digest('hex');

export function syntheticBundle(opts: SyntheticOptions): { bundle: AuditBundle; publicKeyHex: string } {
  const workflowId = opts.workflowId ?? 'synthetic-onboarding-1';
  const start = (opts.start ?? new Date('2026-01-05T08:00:00.000Z')).getTime();
  const key = loadSigningKey(generateKeyPairSync('ed25519').privateKey.export({ format: 'pem', type: 'pkcs8' }).toString());
  const buildId = `@temporalio/worker@1.24.0+${sha('synthetic workflow code')}`;
  // A history of one completed workflow task: enough for the build id it names.
  const history = historyBytes(temporal.api.history.v1.History.fromObject({ events: [{ eventId: 1, workflowTaskCompletedEventAttributes: { binaryChecksum: buildId } }] }));
  const rows: Omit<BundleEvent, 'leafIndex' | 'proof'>[] = [];
  const base = (i: number) => ({
    idempotencyKey: `${workflowId}#step-${i}`, workflowId, actor: i % 3 === 0 ? 'system:worker' : 'manager:test',
    occurredAt: new Date(start + i * 1000).toISOString(),
  });
  let seq = 1;
  for (let i = 0; i < (opts.legacyEvents ?? 0); i += 1, seq += 2) {
    const row = { ...base(-1 - i), seq, chainId: LEGACY_CHAIN, chainSeq: seq, action: 'workflow.launched', payload: { legacy: true, n: i }, prevHash: sha(`another workflow's row ${i}`) };
    rows.push({ ...row, hash: hashAuditEvent(row.prevHash, row) });
  }
  let prevHash = GENESIS_HASH;
  for (let i = 1; i <= opts.events; i += 1, seq += 3) {
    const last = i === opts.events;
    const payload = last
      ? { runId: 'run-1', workflowType: 'onboardShareholder', closeStatus: 'completed', eventsCount: 42, sha256: sha(history) }
      : { run: { workflowId, stage: ['application', 'checks', 'board'][i % 3], percent: i % 100, status: 'running', ratio: i / 7 }, steps: [{ key: `step-${i}`, title: 'Päätös – ✓' }], personalDigest: sha(`salt ${i}`) };
    const row = { ...base(i), seq, chainId: `workflow:${workflowId}`, chainSeq: i, action: last ? 'history.archived' : 'step.done', payload, prevHash };
    const hash = linkHash(prevHash, row.chainSeq, row.seq, contentDigest(row));
    rows.push({ ...row, hash });
    prevHash = hash;
  }

  // The log: each of the workflow's leaves followed by other chains' leaves.
  const leaves: Buffer[] = [];
  const indices: number[] = [];
  for (const [i, row] of rows.entries()) {
    indices.push(leaves.length);
    leaves.push(leafHash(Buffer.from(row.hash, 'hex')));
    for (let k = 0; k < (opts.othersBetween ?? 1); k += 1) leaves.push(leafHash(Buffer.from(sha(`other chain ${i}.${k}`), 'hex')));
  }
  const proofs = inclusionProofs(leaves, indices);
  const statement = { treeSize: leaves.length, rootHash: rootOf(leaves).toString('hex'), signedAt: new Date(start + (rows.length + 1) * 1000).toISOString() };
  const bundle: AuditBundle = {
    format: BUNDLE_FORMAT,
    workflowId,
    exportedAt: new Date(start + (rows.length + 2) * 1000).toISOString(),
    buildId,
    publicKey: { algorithm: 'Ed25519', keyId: key.keyId, publicKeyHex: key.publicKeyHex, development: false },
    checkpoint: { ...statement, keyId: key.keyId, signature: signCheckpoint(key, statement) },
    notCheckpointed: 0,
    events: rows.map((row, i) => ({ ...row, leafIndex: indices[i]!, proof: proofs[i]!.map((h) => h.toString('hex')) })),
    historiesIncluded: true,
    runs: [{ runId: 'run-1', sha256: sha(history), history: history.toString('base64') }],
  };
  return { bundle, publicKeyHex: key.publicKeyHex };
}
