import { type FormEvent, useEffect, useState } from 'react';
import type { LiveEvent } from './App';
import { type Approval, type AuditEvent, api, type Detail, type Me } from './api';
import { formatDate, formatTime, rag } from './facts';
import { Gantt } from './Gantt';
import { orgHref } from './Organisations';
import { Progress, RagBadge } from './parts';
import { ProjectPanel } from './ProjectPanel';

export function DetailView({ id, me, live }: { id: string; me: Me; live: LiveEvent | null }) {
  const [detail, setDetail] = useState<Detail | null>(null);
  const [audit, setAudit] = useState<AuditEvent[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const mayAudit = me.role === 'admin' || me.role === 'auditor';
  const mayDecide = me.role === 'admin' || me.role === 'manager';
  const relevant = live && (live.workflowId === id || live.workflowId === '*') ? live.seq : 0;

  useEffect(() => {
    let cancelled = false;
    api.detail(id).then((d) => !cancelled && (setDetail(d), setError(null)), (err: Error) => !cancelled && setError(err.message));
    if (mayAudit) api.audit(id).then((a) => !cancelled && setAudit(a.items), () => undefined);
    return () => {
      cancelled = true;
    };
  }, [id, relevant, mayAudit]);

  if (error && !detail) return <main><p><a href="#/">← Overview</a></p><p className="error" role="alert">{error}</p></main>;
  if (!detail) return <main><p className="muted">Loading…</p></main>;
  const health = rag(detail);
  const decided = detail.approvals.filter((a) => a.status !== 'pending');

  return (
    <main className="detail">
      <p><a href="#/">← Overview</a></p>
      <header className="detail-head">
        <div>
          <h1>{detail.title}</h1>
          <p className="muted mono">{detail.kind} · {detail.workflowId}</p>
        </div>
        <dl className="facts">
          <div><dt>Status</dt><dd><span className={`status status-${detail.status}`} data-testid="status">{detail.status}</span></dd></div>
          <div><dt>Stage</dt><dd data-testid="stage">{detail.stage}</dd></div>
          <div><dt>Health</dt><dd><RagBadge rag={health} /></dd></div>
          <div><dt>Next deadline</dt><dd>{formatDate(detail.nextDeadline)}</dd></div>
          <div><dt>Waiting for</dt><dd>{detail.waitingFor.length ? detail.waitingFor.join(', ') : 'nobody'}</dd></div>
          {detail.organisations && detail.organisations.length > 0 && (
            <div className="wide"><dt>Organisations</dt><dd><OrgLinks ids={detail.organisations} /></dd></div>
          )}
          <div className="wide"><dt>Progress</dt><dd><Progress percent={detail.percent} label="Progress" /></dd></div>
        </dl>
      </header>
      {detail.failure && <p className="error" role="alert">{detail.failure}</p>}

      <section className="card">
        <h2>Timeline</h2>
        <Gantt stages={detail.stages} startedAt={detail.startedAt} />
        <ol className="stage-list">
          {detail.stages.map((s) => (
            <li key={s.key} className={`stage-${s.status}`}><strong>{s.title}</strong> <span className={`status status-${s.status}`}>{s.status}</span>
              <span className="muted small"> {s.startedAt ? formatTime(s.startedAt) : ''}{s.finishedAt ? ` → ${formatTime(s.finishedAt)}` : ''}</span></li>
          ))}
        </ol>
      </section>

      {detail.kind === 'project' && <ProjectPanel businessKey={detail.businessKey} />}

      <section className="card" aria-labelledby="pending-h">
        <h2 id="pending-h">Pending approvals</h2>
        {detail.pendingApprovals.length === 0 && <p className="muted">Nothing waits for a decision.</p>}
        {detail.pendingApprovals.map((a) => (
          <PendingApproval key={`${a.gate}/${a.party}`} approval={a} mayDecide={mayDecide}
            onDecide={async (d) => setDetail(await api.decide(id, { gate: a.gate, party: a.party, ...d }))} />
        ))}
        {decided.length > 0 && (
          <>
            <h3>Decided</h3>
            <ul className="plain">
              {decided.map((a) => (
                <li key={`${a.gate}/${a.party}`}><span className={`status status-${a.status}`}>{a.status}</span> {a.body} ({a.gate})
                  {a.reference ? <> · ref. <em>{a.reference}</em></> : null}{a.comment ? <> · “{a.comment}”</> : null}
                  <span className="muted small"> · {a.decidedBy ?? ''} {formatTime(a.decidedAt)}</span></li>
              ))}
            </ul>
          </>
        )}
      </section>

      <section className="card">
        <h2>Steps</h2>
        <table className="steps">
          <thead><tr><th scope="col">Step</th><th scope="col">Stage</th><th scope="col">Status</th><th scope="col">Started</th><th scope="col">Finished</th><th scope="col">Due</th></tr></thead>
          <tbody>
            {detail.steps.map((s) => (
              <tr key={s.key}><td>{s.title}</td><td>{s.stage}</td><td><span className={`status status-${s.status}`}>{s.status}</span></td>
                <td>{formatTime(s.startedAt)}</td><td>{formatTime(s.finishedAt)}</td><td>{formatTime(s.dueAt)}</td></tr>
            ))}
            {!detail.steps.length && <tr><td colSpan={6} className="muted">No steps yet.</td></tr>}
          </tbody>
        </table>
      </section>

      {detail.result && (
        <section className="card"><h2>Result</h2><pre>{JSON.stringify(detail.result, null, 2)}</pre></section>
      )}

      <section className="card">
        <h2>Audit trail</h2>
        {!mayAudit && <p className="muted">The audit trail is open to auditors and admins.</p>}
        {mayAudit && audit && (
          <ol className="audit">
            {audit.map((e) => (
              <li key={e.seq}><span className="mono muted">#{e.seq}</span> <time dateTime={e.occurredAt}>{formatTime(e.occurredAt)}</time> <strong>{e.action}</strong> <span className="muted">by {e.actor}</span></li>
            ))}
          </ol>
        )}
      </section>
    </main>
  );
}

/** The organisations a workflow involves, each linking to its organisation page (an applicant may not be in the registry yet). */
function OrgLinks({ ids }: { ids: string[] }) {
  return (
    <ul className="org-links">
      {ids.map((id) => <li key={id}><a className="mono" href={orgHref(id)} aria-label={`Organisation ${id}`}>{id}</a></li>)}
    </ul>
  );
}

/** A decision form; exported for "My tasks", which shows the same form inline. */
export function PendingApproval({ approval, mayDecide, onDecide }: {
  approval: Approval;
  mayDecide: boolean;
  onDecide: (d: { decision: 'approve' | 'reject'; comment?: string; reference?: string }) => Promise<void>;
}) {
  const [comment, setComment] = useState('');
  const [reference, setReference] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const key = `${approval.gate}-${approval.party}`.replace(/[^a-zA-Z0-9-]/g, '-');

  async function decide(decision: 'approve' | 'reject', e?: FormEvent) {
    e?.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await onDecide({ decision, ...(comment.trim() ? { comment: comment.trim() } : {}), ...(reference.trim() ? { reference: reference.trim() } : {}) });
    } catch (err) {
      setError((err as Error).message);
    } finally {
      setBusy(false);
    }
  }

  return (
    <form className="approval" onSubmit={(e) => void decide('approve', e)} aria-label={`Decision: ${approval.body}`}>
      <p><strong>{approval.body}</strong> <span className="muted">gate {approval.gate} · party {approval.party} · due {formatDate(approval.dueAt)}</span></p>
      {approval.quorum && approval.members && (
        <p className="muted small" data-testid="quorum">
          {(approval.votes ?? []).filter((v) => v.decision === 'approve').length} of {approval.quorum} approvals needed
          ({approval.members.length} members{approval.votes?.length ? `; voted: ${approval.votes.map((v) => (v.by ? `${v.by} for ${v.member}` : v.member)).join(', ')}` : ''})
        </p>
      )}
      {mayDecide ? (
        <div className="decide">
          <label htmlFor={`c-${key}`}>Comment</label>
          <input id={`c-${key}`} value={comment} onChange={(e) => setComment(e.target.value)} />
          <label htmlFor={`r-${key}`}>Reference</label>
          <input id={`r-${key}`} value={reference} placeholder="e.g. Hallitus 3/2025 § 5" onChange={(e) => setReference(e.target.value)} />
          <button type="submit" disabled={busy}>Approve</button>
          <button type="button" className="danger" disabled={busy} onClick={() => void decide('reject')}>Reject</button>
        </div>
      ) : <p className="muted small">Only admins and managers decide approvals.</p>}
      {error && <p className="error" role="alert">{error}</p>}
    </form>
  );
}
