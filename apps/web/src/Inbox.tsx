import { useCallback, useEffect, useState } from 'react';
import type { LiveEvent } from './App';
import { api, type InboxItem, type Me } from './api';
import { PendingApproval } from './Detail';
import { formatDate } from './facts';

/** The inbox of the signed-in person, refetched on every live progress event. */
export function useInbox(me: Me, live: LiveEvent | null): { items: InboxItem[] | null; more: boolean; error: string | null; reload: () => void } {
  const [items, setItems] = useState<InboxItem[] | null>(null);
  const [more, setMore] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [tick, setTick] = useState(0);
  const reload = useCallback(() => setTick((t) => t + 1), []);
  const seq = live?.seq ?? 0;
  useEffect(() => {
    if (!me.person) return;
    let cancelled = false;
    api.inbox(null, 200).then(
      (page) => !cancelled && (setItems(page.items), setMore(page.nextCursor !== null), setError(null)),
      (err: Error) => !cancelled && setError(err.message),
    );
    return () => {
      cancelled = true;
    };
  }, [me.person, seq, tick]);
  return { items, more, error, reload };
}

/** "My tasks": what waits for me across all workflows, overdue first, with the decision forms inline. */
export function MyTasks({ me, inbox }: { me: Me; inbox: ReturnType<typeof useInbox> }) {
  const { items, more, error, reload } = inbox;
  if (!me.person) {
    return <main><h1>My tasks</h1><p className="muted">This token belongs to no person, so no tasks are addressed to it.</p></main>;
  }
  return (
    <main>
      <h1>My tasks</h1>
      <p className="muted">What waits for {me.person}: decisions of the bodies you sit on (or substitute in), events you are expected to send, and tasks.</p>
      {error && <p className="error" role="alert">{error}</p>}
      {!items && !error && <p className="muted">Loading…</p>}
      {items && items.length === 0 && <p className="muted" data-testid="no-tasks">Nothing waits for you.</p>}
      <ul className="plain tasks">
        {items?.map((item) => <li key={`${item.workflowId} ${item.key}`} className="card"><Task item={item} me={me} onDone={reload} /></li>)}
      </ul>
      {more && <p className="muted small">Showing the first 200; `fuusio inbox` pages through the rest.</p>}
    </main>
  );
}

function Task({ item, me, onDone }: { item: InboxItem; me: Me; onDone: () => void }) {
  const head = (
    <p>
      {item.overdue && <span className="status status-failed">overdue</span>} <strong>{item.what}</strong>
      {item.onBehalfOf && <span className="muted"> · for {item.onBehalfOf}</span>}
      <span className="muted small"> · due {formatDate(item.dueAt)} · <a href={`#/w/${encodeURIComponent(item.workflowId)}`}>{item.title}</a></span>
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
        <PendingApproval approval={approval} mayDecide={me.role === 'admin' || me.role === 'manager'} onDecide={async (d) => {
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
  return <>{head}<p className="muted small">Send <code>{item.event}</code> from the workflow's page or with <code>fuusio event</code>.</p></>;
}

function ConfirmPayment({ workflowId, payment, onDone }: { workflowId: string; payment: string; onDone: () => void }) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  async function confirm() {
    setBusy(true);
    setError(null);
    try {
      await api.event(workflowId, { type: 'payment.confirmed', payload: { payment }, idempotencyKey: `confirm:${workflowId}:${payment}` });
      onDone();
    } catch (err) {
      setError((err as Error).message);
    } finally {
      setBusy(false);
    }
  }
  return (
    <div>
      <button type="button" disabled={busy} onClick={() => void confirm()}>Confirm payment {payment}</button>
      {error && <p className="error" role="alert">{error}</p>}
    </div>
  );
}
