import { type FormEvent, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import type { LiveEvent } from './App';
import { type Approval, type AuditEvent, api, type ConsolidationAnswer, type Detail, type Me } from './api';
import { ConsolidationPanel } from './ConsolidationPanel';
import { apiErrorText } from './errors';
import { ragOf } from './facts';
import { useFormat } from './format';
import { Gantt } from './Gantt';
import { useStageName } from './names';
import { orgHref } from './Organisations';
import { Progress, RagBadge, Status } from './parts';
import { ProjectPanel } from './ProjectPanel';
import { StateDiffPanel } from './StateDiffPanel';
import { useWorkflowText } from './workflowText';

export function DetailView({ id, me, live }: { id: string; me: Me; live: LiveEvent | null }) {
  const { t } = useTranslation();
  const f = useFormat();
  const stageName = useStageName();
  const [detail, setDetail] = useState<Detail | null>(null);
  const [audit, setAudit] = useState<AuditEvent[] | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [consolidation, setConsolidation] = useState<ConsolidationAnswer | null>(null);
  const text = useWorkflowText(consolidation);
  // Another workflow's view must not name this one's bodies.
  useEffect(() => setConsolidation(null), [id]);
  const mayAudit = me.role === 'admin' || me.role === 'auditor';
  const mayDecide = me.role === 'admin' || me.role === 'manager';
  const relevant = live && (live.workflowId === id || live.workflowId === '*') ? live.seq : 0;

  useEffect(() => {
    let cancelled = false;
    api.detail(id).then((d) => !cancelled && (setDetail(d), setError(null)), (err: Error) => !cancelled && setError(err));
    if (mayAudit) api.audit(id).then((a) => !cancelled && setAudit(a.items), () => undefined);
    return () => {
      cancelled = true;
    };
  }, [id, relevant, mayAudit]);

  if (error && !detail) return <><p><Link to="/">{t('detail.back')}</Link></p><p className="error" role="alert">{apiErrorText(error, t)}</p></>;
  if (!detail) return <p className="muted">{t('app.loading')}</p>;
  const health = ragOf(detail);
  const decided = detail.approvals.filter((a) => a.status !== 'pending');

  return (
    <div className="detail">
      <p><Link to="/">{t('detail.back')}</Link></p>
      <header className="detail-head">
        <div>
          <h1>{text.title(detail)}</h1>
          <p className="muted mono">{detail.kind} · {detail.workflowId}</p>
        </div>
        <dl className="facts">
          <div><dt>{t('detail.status')}</dt><dd><Status status={detail.status} testId="status" /></dd></div>
          <div><dt>{t('detail.stage')}</dt><dd data-testid="stage" data-stage={detail.stage}>{stageName(detail.stage)}</dd></div>
          <div><dt>{t('detail.health')}</dt><dd><RagBadge rag={health} /></dd></div>
          <div><dt>{t('detail.nextDeadline')}</dt><dd>{f.dateTime(detail.nextDeadline)}</dd></div>
          <div><dt>{t('detail.waitingFor')}</dt><dd>{detail.waitingFor.length ? detail.waitingFor.map((w) => text.waiting(detail, w)).join(', ') : t('detail.nobody')}</dd></div>
          {detail.organisations && detail.organisations.length > 0 && (
            <div className="wide"><dt>{t('detail.organisations')}</dt><dd><OrgLinks ids={detail.organisations} /></dd></div>
          )}
          <div className="wide"><dt>{t('detail.progress')}</dt><dd><Progress percent={detail.percent} label={t('detail.progress')} /></dd></div>
        </dl>
      </header>
      {detail.failure && <p className="error" role="alert" lang="en">{detail.failure}</p>}

      <section className="card" aria-labelledby="timeline-h">
        <h2 id="timeline-h">{t('detail.timeline')}</h2>
        <Gantt stages={detail.stages} startedAt={detail.startedAt} />
        <ol className="stage-list">
          {detail.stages.map((s) => (
            <li key={s.key} className={`stage-${s.status}`}><strong>{stageName(s.key, s.title)}</strong> <Status status={s.status} />
              <span className="muted small"> {s.startedAt ? f.time(s.startedAt) : ''}{s.finishedAt ? ` → ${f.time(s.finishedAt)}` : ''}</span></li>
          ))}
        </ol>
      </section>

      {detail.kind === 'project' && <ProjectPanel businessKey={detail.businessKey} />}
      {detail.kind === 'consolidation' && (
        <ConsolidationPanel workflowId={detail.workflowId} seq={relevant} reconciliation={(detail as { reconciliation?: unknown }).reconciliation} onView={setConsolidation} />
      )}

      <section className="card" aria-labelledby="pending-h">
        <h2 id="pending-h">{t('detail.pending')}</h2>
        {detail.pendingApprovals.length === 0 && <p className="muted">{t('detail.nothingPending')}</p>}
        {detail.pendingApprovals.map((a) => (
          <PendingApproval key={`${a.gate}/${a.party}`} approval={a} bodyName={text.body(a)} mayDecide={mayDecide}
            onDecide={async (d) => setDetail(await api.decide(id, { gate: a.gate, party: a.party, ...d }))} />
        ))}
        {decided.length > 0 && (
          <>
            <h3>{t('detail.decided')}</h3>
            <ul className="plain">
              {decided.map((a) => (
                <li key={`${a.gate}/${a.party}`}><Status status={a.status} /> {text.body(a)} ({a.gate})
                  {a.reference ? <> · {t('detail.ref')} <em>{a.reference}</em></> : null}{a.comment ? <> · “{a.comment}”</> : null}
                  <span className="muted small"> · {a.decidedBy ?? ''} {f.time(a.decidedAt)}</span></li>
              ))}
            </ul>
          </>
        )}
      </section>

      <section className="card" aria-labelledby="steps-h">
        <h2 id="steps-h">{t('detail.steps')}</h2>
        <table className="steps">
          <thead><tr><th scope="col">{t('detail.step')}</th><th scope="col">{t('detail.stage')}</th><th scope="col">{t('detail.status')}</th><th scope="col">{t('detail.started')}</th><th scope="col">{t('detail.finished')}</th><th scope="col">{t('detail.due')}</th></tr></thead>
          <tbody>
            {detail.steps.map((s) => (
              <tr key={s.key}><td>{text.step(s)}</td><td>{stageName(s.stage)}</td><td><Status status={s.status} /></td>
                <td>{f.time(s.startedAt)}</td><td>{f.time(s.finishedAt)}</td><td>{f.time(s.dueAt)}</td></tr>
            ))}
            {!detail.steps.length && <tr><td colSpan={6} className="muted">{t('detail.noSteps')}</td></tr>}
          </tbody>
        </table>
      </section>

      {detail.result && (
        <section className="card" aria-labelledby="result-h"><h2 id="result-h">{t('detail.result')}</h2><pre>{JSON.stringify(detail.result, null, 2)}</pre></section>
      )}

      <section className="card" aria-labelledby="audit-h">
        <h2 id="audit-h">{t('detail.audit')}</h2>
        {!mayAudit && <p className="muted">{t('detail.auditClosed')}</p>}
        {mayAudit && audit && (
          <ol className="audit">
            {audit.map((e) => (
              <li key={e.seq}><span className="mono muted">#{e.seq}</span> <time dateTime={e.occurredAt}>{f.time(e.occurredAt)}</time> <strong>{e.action}</strong> <span className="muted">{t('detail.by', { actor: e.actor })}</span></li>
            ))}
          </ol>
        )}
      </section>

      {/* GET …/state/diff is for auditors and admins only (apps/api/audit/state.controller.ts). */}
      {mayAudit && detail.startedAt && <StateDiffPanel key={detail.workflowId} workflowId={detail.workflowId} startedAt={detail.startedAt} />}
    </div>
  );
}

/** The organisations a workflow involves, each linking to its organisation page (an applicant may not be in the registry yet). */
function OrgLinks({ ids }: { ids: string[] }) {
  const { t } = useTranslation();
  return (
    <ul className="org-links">
      {ids.map((id) => <li key={id}><Link className="mono" to={orgHref(id)} aria-label={t('detail.organisationLink', { id })}>{id}</Link></li>)}
    </ul>
  );
}

/** A decision form; exported for "My tasks", which shows the same form inline. */
export function PendingApproval({ approval, bodyName = approval.body, mayDecide, onDecide, scope = '' }: {
  approval: Approval;
  /** The body in the reader's language (the approval's own `body` is the workflow's English). */
  bodyName?: string;
  /** Makes the field ids unique where several workflows' forms share a page (My tasks). */
  scope?: string;
  mayDecide: boolean;
  onDecide: (d: { decision: 'approve' | 'reject'; comment?: string; reference?: string }) => Promise<void>;
}) {
  const { t } = useTranslation();
  const f = useFormat();
  const [comment, setComment] = useState('');
  const [reference, setReference] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const key = `${scope}-${approval.gate}-${approval.party}`.replace(/[^a-zA-Z0-9-]/g, '-');

  async function decide(decision: 'approve' | 'reject', e?: FormEvent) {
    e?.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await onDecide({ decision, ...(comment.trim() ? { comment: comment.trim() } : {}), ...(reference.trim() ? { reference: reference.trim() } : {}) });
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  }

  return (
    <form className="approval" onSubmit={(e) => void decide('approve', e)} aria-label={t('approval.label', { body: bodyName })}>
      <p><strong>{bodyName}</strong> <span className="muted">{t('approval.meta', { gate: approval.gate, party: approval.party, date: f.dateTime(approval.dueAt) })}</span></p>
      {approval.quorum && approval.members && (
        <p className="muted small" data-testid="quorum">
          {t('approval.quorum', { approved: (approval.votes ?? []).filter((v) => v.decision === 'approve').length, quorum: approval.quorum })}
          {' '}({t('approval.members', { count: approval.members.length })}{approval.votes?.length
            ? `; ${t('approval.voted', { votes: approval.votes.map((v) => (v.by ? t('approval.votedFor', { by: v.by, member: v.member }) : v.member)).join(', ') })}`
            : ''})
        </p>
      )}
      {mayDecide ? (
        <div className="decide">
          <label htmlFor={`c-${key}`}>{t('approval.comment')}</label>
          <input id={`c-${key}`} value={comment} onChange={(e) => setComment(e.target.value)} />
          <label htmlFor={`r-${key}`}>{t('approval.reference')}</label>
          <input id={`r-${key}`} value={reference} placeholder={t('approval.referencePlaceholder')} onChange={(e) => setReference(e.target.value)} />
          <button type="submit" disabled={busy}>{t('approval.approve')}</button>
          <button type="button" className="danger" disabled={busy} onClick={() => void decide('reject')}>{t('approval.reject')}</button>
        </div>
      ) : <p className="muted small">{t('approval.onlyDeciders')}</p>}
      {!!error && <p className="error" role="alert">{apiErrorText(error, t)}</p>}
    </form>
  );
}
