/**
 * Verifies the audit trail: every chain link, every Merkle leaf against the event it names, and every
 * checkpoint's root and signature. Full mode reads everything; incremental mode starts from the last
 * verification that passed (its tree size and the frontier this verifier computed then) and reads only
 * the leaves, checkpoints and links since — what was verified before is covered by the roots it checked.
 */
import type { KeyObject } from 'node:crypto';
import { AuditLogRepository, type LeafRow, type StoredCheckpoint } from '../db/repositories/audit-log.repository';
import { AuditRepository, GENESIS_HASH, linkProblem } from '../db/repositories/audit.repository';
import { prefetchedPages } from '../db/pages';
import type { Queryable } from '../db/pool';
import { frontierAppend, frontierFromJson, frontierRoot, frontierSize, frontierToJson, leafHash, type Frontier } from '../domain/merkle';
import { verifyCheckpointSignature } from './signing';

export type AuditProblem = {
  kind: 'chain' | 'log' | 'checkpoint';
  reason: string;
  seq?: number; chainId?: string; chainSeq?: number; leafIndex?: number; treeSize?: number;
};

export type AuditVerification = {
  ok: boolean;
  mode: 'full' | 'incremental';
  /** Events whose content and link were recomputed. */
  checked: number;
  /** Leaves read and checkpoints whose root and signature were checked. */
  leaves: number;
  checkpoints: number;
  /** The tree size the run started from (0 in full mode) and the last checkpoint it verified. */
  fromTreeSize: number;
  verifiedTreeSize: number;
  /** The smallest seq a problem names (kept from the single-chain days). */
  firstBrokenSeq?: number;
  problems: AuditProblem[];
};

/**
 * How far a verification has got: the events of the chain walk (full mode), then the leaves of the log,
 * each with the seconds and rate of that phase; then `done` with every event checked, the whole run's
 * seconds and its events per second.
 */
export type VerifyProgress = { phase: 'chains' | 'log' | 'done'; done: number; total: number; seconds: number; perSecond: number };
export type VerifyOptions = {
  /** Called after every page (and once at the end); counts only grow within a phase. */
  onProgress?: (p: VerifyProgress) => void;
  /** Milliseconds, for the rate (a test may pass its own). */
  now?: () => number;
};

const PAGE = 5000;
const MAX_PROBLEMS = 20;

export async function verifyAudit(
  db: Queryable, publicKey: KeyObject, keyId: string, mode: 'full' | 'incremental', options: VerifyOptions = {},
): Promise<AuditVerification> {
  const log = new AuditLogRepository();
  const problems: AuditProblem[] = [];
  let checked = 0;
  const now = options.now ?? (() => performance.now());
  const started = now();
  // A phase's rate is over its own time; `done` gives the whole run's.
  let phaseStarted = started;
  const begin = () => { phaseStarted = now(); };
  const report = (phase: VerifyProgress['phase'], done: number, total: number) => {
    if (!options.onProgress) return;
    const seconds = (now() - (phase === 'done' ? started : phaseStarted)) / 1000;
    options.onProgress({ phase, done, total, seconds, perSecond: seconds > 0 ? done / seconds : 0 });
  };

  let from = 0;
  let frontier: Frontier = [];
  if (mode === 'full') {
    const events = options.onProgress ? await new AuditRepository().count(db) : 0;
    const chains = await new AuditRepository().verify(db, PAGE, (n) => report('chains', n, events));
    checked = chains.checked;
    if (chains.problem) problems.push({ kind: 'chain', ...chains.problem });
  } else {
    const last = await log.lastVerification(db);
    if (last) {
      from = last.treeSize;
      frontier = frontierFromJson(last.frontier);
      const still = await log.checkpointAt(db, last.treeSize);
      if (!still || still.rootHash !== last.rootHash) {
        problems.push({ kind: 'checkpoint', treeSize: last.treeSize, reason: 'the checkpoint verified last time is gone or has another root' });
      }
    }
  }

  // The leaves since `from`, each against its event; the roots at each checkpoint against the signed ones.
  const checkpoints = await log.checkpointsAfter(db, from);
  const leavesToRead = options.onProgress ? Math.max(0, (await log.treeSize(db)) - from) : 0;
  begin();
  let next = 0;
  let verifiedTreeSize = from;
  let verifiedFrontier = frontier;
  let leaves = 0;
  let checkpointsChecked = 0;
  const checkAt = (cp: StoredCheckpoint) => {
    const root = frontierRoot(frontier).toString('hex');
    if (root !== cp.rootHash) problems.push({ kind: 'checkpoint', treeSize: cp.treeSize, reason: 'the leaves do not give the signed root' });
    else if (cp.keyId !== keyId) problems.push({ kind: 'checkpoint', treeSize: cp.treeSize, reason: `signed with another key (${cp.keyId})` });
    else if (!verifyCheckpointSignature(publicKey, cp, cp.signature)) problems.push({ kind: 'checkpoint', treeSize: cp.treeSize, reason: 'the signature does not verify' });
    else if (problems.length === 0) {
      verifiedTreeSize = cp.treeSize;
      verifiedFrontier = frontier;
    }
    checkpointsChecked += 1;
  };
  // Full mode recomputed every link on the walk above: here each leaf is matched to its event's place and hash.
  const leafPages = (start: number, limit: number) => log.leavesWithEvents(db, start, limit, mode === 'incremental');
  let at = from;
  for await (const page of prefetchedPages(from, PAGE, leafPages, (row) => row.leaf.leafIndex + 1, (page) => page.length > 0)) {
    const hashes: Buffer[] = [];
    for (const { leaf, event, prevStoredHash } of page) {
      if (leaf.leafIndex !== at) {
        problems.push({ kind: 'log', leafIndex: at, reason: `leaf ${at} is missing` });
        break;
      }
      const problem = leafProblem(leaf, event, prevStoredHash, mode === 'incremental');
      if (problem) problems.push(problem);
      else if (mode === 'incremental') checked += 1;
      hashes.push(Buffer.from(leaf.leafHash, 'hex'));
      at += 1;
      leaves += 1;
      // The checkpoints fall between leaves: check each as the tree reaches its size.
      while (checkpoints[next] && checkpoints[next]!.treeSize === frontierSize(frontier) + hashes.length) {
        frontier = frontierAppend(frontier, hashes.splice(0));
        checkAt(checkpoints[next]!);
        next += 1;
      }
    }
    frontier = frontierAppend(frontier, hashes);
    report('log', leaves, Math.max(leaves, leavesToRead));
    if (problems.length >= MAX_PROBLEMS || problems.some((p) => p.reason.startsWith('leaf '))) break;
  }
  for (const cp of checkpoints.slice(next)) {
    problems.push({ kind: 'checkpoint', treeSize: cp.treeSize, reason: `the log has ${frontierSize(frontier)} leaves, fewer than the checkpoint signs` });
  }

  // The links not logged yet (incremental; full mode walked every chain already).
  if (mode === 'incremental') {
    for (const { event, prevStoredHash } of await log.unloggedEvents(db, 100_000)) {
      const problem = eventProblem(event, prevStoredHash);
      if (problem) problems.push({ kind: 'chain', ...position(event), reason: problem });
      else checked += 1;
    }
  }

  report('done', checked, checked);
  const ok = problems.length === 0;
  if (ok && verifiedTreeSize > from) {
    await log.recordVerification(db, {
      treeSize: verifiedTreeSize, rootHash: frontierRoot(verifiedFrontier).toString('hex'), frontier: frontierToJson(verifiedFrontier), mode, checked,
    });
  }
  const seqs = problems.map((p) => p.seq).filter((s): s is number => typeof s === 'number' && Number.isFinite(s));
  return {
    ok, mode, checked, leaves, checkpoints: checkpointsChecked, fromTreeSize: from, verifiedTreeSize,
    ...(seqs.length ? { firstBrokenSeq: Math.min(...seqs) } : {}), problems: problems.slice(0, MAX_PROBLEMS),
  };
}

function position(event: Record<string, unknown>) {
  return { seq: Number(event.seq), chainId: String(event.chain_id), chainSeq: Number(event.chain_seq) };
}

/** A row against the stored hash of the link before it (genesis for a chain's first). */
function eventProblem(event: Record<string, unknown>, prevStoredHash: string | null): string | null {
  const chainSeq = Number(event.chain_seq);
  if (chainSeq > 1 && prevStoredHash === null) return `chain position ${chainSeq - 1} is missing`;
  return linkProblem(event, chainSeq === 1 ? GENESIS_HASH : prevStoredHash!);
}

function leafProblem(leaf: LeafRow, event: Record<string, unknown> | null, prevStoredHash: string | null, recompute: boolean): AuditProblem | null {
  const at = { seq: leaf.seq, chainId: leaf.chainId, chainSeq: leaf.chainSeq, leafIndex: leaf.leafIndex };
  if (!event) return { kind: 'log', ...at, reason: 'the logged event is missing' };
  if (String(event.chain_id) !== leaf.chainId || Number(event.chain_seq) !== leaf.chainSeq) {
    return { kind: 'log', ...at, reason: 'the event has moved from the chain position it was logged at' };
  }
  if (leafHash(Buffer.from(String(event.hash), 'hex')).toString('hex') !== leaf.leafHash) {
    return { kind: 'log', ...at, reason: 'the event hash differs from the one logged (a rewritten row or tail)' };
  }
  if (!recompute) return null;
  const problem = eventProblem(event, prevStoredHash);
  return problem ? { kind: 'chain', ...at, reason: problem } : null;
}
