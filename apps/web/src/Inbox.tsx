import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { isDueToday } from '../../../libs/domain/helsinki-time';
import type { LiveEvent } from './App';
import { api, type InboxItem, type Me } from './api';
import { PendingApproval } from './Detail';
import { apiErrorText } from './errors';
import { useFormat } from './format';
import { useWorkflowText } from './workflowText';

/** The inbox of the signed-in person, refetched on every live progress event. */
export function useInbox(me: Me, live: LiveEvent | null): { items: InboxItem[] | null; more: boolean; error: unknown; reload: () => void } {
  const [items, setItems] = useState<InboxItem[] | null>(null);
  const [more, setMore] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [tick, setTick] = useState(0);
  const reload = useCallback(() => setTick((t) => t + 1), []);
  const seq = live?.seq ?? 0;
  useEffect(() => {
    if (!me.person) return;
    let cancelled = false;
    api.inbox(null, 200).then(
      (page) => !cancelled && (setItems(page.items), setMore(page.nextCursor !== null), setError(null)),
      (err: Error) => !cancelled && setError(err),
    );
    return () => {
      cancelled = true;
    };
  }, [me.person, seq, tick]);
  return { items, more, error, reload };
}

/** "My tasks": what waits for me across all workflows, overdue first, with the decision forms inline. */
export function MyTasks({ me, inbox, now = Date.now() }: { me: Me; inbox: ReturnType<typeof useInbox>; now?: number }) {
  const { t } = useTranslation();
  const { items, more, error, reload } = inbox;
  if (!me.person) {
    return <><h1>{t('tasks.title')}</h1><p className="muted">{t('tasks.noPerson')}</p></>;
  }
  return (
    <>
      <h1>{t('tasks.title')}</h1>
      <p className="muted">{t('tasks.intro', { person: me.person })}</p>
      {!!error && <p className="error" role="alert">{apiErrorText(error, t)}</p>}
      {!items && !error && <p className="muted">{t('app.loading')}</p>}
      {items && items.length === 0 && <p className="muted" data-testid="no-tasks">{t('tasks.empty')}</p>}
      <ul className="plain tasks">
        {items?.map((item) => <li key={`${item.workflowId} ${item.key}`} className="card"><Task item={item} me={me} now={now} onDone={reload} /></li>)}
      </ul>
      {more && <p className="muted small">{t('tasks.capped')}</p>}
    </>
  );
}

function Task({ item, me, now, onDone }: { item: InboxItem; me: Me; now: number; onDone: () => void }) {
  const { t } = useTranslation();
  const text = useWorkflowText();
  const f = useFormat();
  // The API says overdue from the Helsinki midnight after the due day; before that, a deadline today is said so.
  const overdue = item.overdue;
  const today = !overdue && isDueToday(item.dueAt, now);
  const head = (
    <p>
      {overdue && <span className="status status-failed">{t('tasks.overdue')}</span>}
      {today && <span className="status status-expired">{t('tasks.dueToday')}</span>} <strong>{text.task(item)}</strong>
      {item.onBehalfOf && <span className="muted"> · {t('tasks.for', { who: item.onBehalfOf })}</span>}
      <span className="muted small"> · {t('tasks.due', { date: f.dateTime(item.dueAt) })} · <Link to={`/w/${encodeURIComponent(item.workflowId)}`}>{text.title(item)}</Link></span>
    </p>
  );
  if (item.type === 'decision' && item.gate && item.party) {
    const approval = {
      gate: item.gate, party: item.party, body: item.body ?? item.party, status: 'pending' as const, dueAt: item.dueAt,
      quorum: item.quorum ?? null, members: item.members ?? null, votes: item.votes ?? [],
    };
    return (
      <>
        {head}
        <PendingApproval approval={approval} bodyName={text.body(approval)} scope={item.workflowId} mayDecide={me.role === 'admin' || me.role === 'manager'} onDecide={async (d) => {
          await api.decide(item.workflowId, { gate: item.gate ?? '', party: item.party ?? '', ...d, ...(item.onBehalfOf ? { onBehalfOf: item.onBehalfOf } : {}) });
          onDone();
        }} />
      </>
    );
  }
  if (item.type === 'task' && item.event === 'payment.confirmed') {
    const payment = item.key.replace(/^task:payment\./, '').replace(/:for:.*$/, '');
    return <>{head}<ConfirmPayment workflowId={item.workflowId} payment={payment} onDone={onDone} /></>;
  }
  return <>{head}<p className="muted small">{t('tasks.send', { event: item.event ?? '' })}</p></>;
}

function ConfirmPayment({ workflowId, payment, onDone }: { workflowId: string; payment: string; onDone: () => void }) {
  const { t } = useTranslation();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  async function confirm() {
    setBusy(true);
    setError(null);
    try {
      await api.event(workflowId, { type: 'payment.confirmed', payload: { payment }, idempotencyKey: `confirm:${workflowId}:${payment}` });
      onDone();
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  }
  return (
    <div>
      <button type="button" disabled={busy} onClick={() => void confirm()}>{t('tasks.confirmPayment', { payment })}</button>
      {!!error && <p className="error" role="alert">{apiErrorText(error, t)}</p>}
    </div>
  );
}
