import { type FormEvent, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { call } from './api';
import { apiErrorText } from './errors';
import { useFormat } from './format';
import { orgHref } from './Organisations';

/** One change of GET /api/registry/diff (libs/domain/registry-diff.ts). */
type RegistryChange = {
  op: 'added' | 'removed' | 'changed';
  section: 'organisations' | 'serviceAreas' | 'holdings' | 'shareRegister';
  key: string;
  before?: Record<string, unknown>;
  after?: Record<string, unknown>;
  fields?: { field: string; before?: unknown; after?: unknown }[];
  on: string | null;
  workflow: { workflowId: string; title: string; imported: boolean } | null;
  decision: { body: string; decidedAt: string; reference: string | null } | null;
};
type RegistryDiff = { from: string; to: string; organisation: string | null; changes: RegistryChange[] };

const registryDiff = (from: string, to: string, organisation: string) => {
  const p = new URLSearchParams({ from, to });
  if (organisation.trim()) p.set('organisation', organisation.trim());
  return call<RegistryDiff>('GET', `/api/registry/diff?${p}`);
};

/** A diffed value as one line of text. */
export const valueText = (v: unknown) => (v === undefined || v === null ? '—' : typeof v === 'string' ? v : JSON.stringify(v));

/** The organisation a row is about, to link to: the centre, holder or organisation it names. */
function subjectOf(c: RegistryChange): string | null {
  const row = c.after ?? c.before ?? {};
  for (const f of ['businessId', 'centreId', 'organisationId', 'holderId']) if (typeof row[f] === 'string') return row[f] as string;
  return null;
}

function What({ c }: { c: RegistryChange }) {
  if (c.op === 'changed') {
    return <ul className="plain">{(c.fields ?? []).map((f) => <li key={f.field}><code>{f.field}</code>: {valueText(f.before)} → {valueText(f.after)}</li>)}</ul>;
  }
  const row = (c.op === 'added' ? c.after : c.before) ?? {};
  const shown = Object.entries(row).filter(([k, v]) => v !== null && !/^source/.test(k));
  return <span>{shown.map(([k, v]) => `${k}: ${valueText(v)}`).join(' · ')}</span>;
}

/** The registry between two Helsinki dates: what changed, on which day, by which workflow and decision. */
export function RegistryDiffPage() {
  const { t } = useTranslation();
  const f = useFormat();
  const [draft, setDraft] = useState({ from: '2022-12-31', to: '2023-01-02', organisation: '' });
  const [asked, setAsked] = useState(draft);
  const [diff, setDiff] = useState<RegistryDiff | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [loading, setLoading] = useState(true);

  useEffect(() => {
    let cancelled = false;
    setLoading(true);
    registryDiff(asked.from, asked.to, asked.organisation).then(
      (r) => {
        if (cancelled) return;
        setDiff(r);
        setError(null);
      },
      (err: Error) => !cancelled && setError(err),
    ).finally(() => !cancelled && setLoading(false));
    return () => {
      cancelled = true;
    };
  }, [asked]);

  function apply(e: FormEvent) {
    e.preventDefault();
    setAsked(draft);
  }

  return (
    <>
      <h1>{t('registryDiff.title')}</h1>
      <p className="muted">{t('registryDiff.intro')}</p>
      <form className="filters card" onSubmit={apply} aria-label={t('registryDiff.filters')}>
        <label>{t('registryDiff.from')}<input type="date" required value={draft.from} onChange={(e) => setDraft((d) => ({ ...d, from: e.target.value }))} /></label>
        <label>{t('registryDiff.to')}<input type="date" required value={draft.to} onChange={(e) => setDraft((d) => ({ ...d, to: e.target.value }))} /></label>
        <label>{t('registryDiff.organisation')}<input value={draft.organisation} placeholder="2229500-6" onChange={(e) => setDraft((d) => ({ ...d, organisation: e.target.value }))} /></label>
        <button type="submit">{t('registryDiff.show')}</button>
      </form>
      {!!error && <p className="error" role="alert">{apiErrorText(error, t)}</p>}
      {diff && !error && (
        <p role="status" data-testid="diff-summary">{t('registryDiff.summary', { count: diff.changes.length, from: f.day(diff.from), to: f.day(diff.to) })}</p>
      )}
      <table className="runs" aria-busy={loading} data-testid="registry-diff">
        <caption className="visually-hidden">{t('registryDiff.caption')}</caption>
        <thead>
          <tr>
            <th scope="col">{t('registryDiff.section')}</th><th scope="col">{t('registryDiff.change')}</th><th scope="col">{t('registryDiff.on')}</th>
            <th scope="col">{t('registryDiff.what')}</th><th scope="col">{t('registryDiff.workflow')}</th><th scope="col">{t('registryDiff.decision')}</th>
          </tr>
        </thead>
        <tbody>
          {diff?.changes.map((c) => {
            const subject = subjectOf(c);
            return (
              <tr key={`${c.section}/${c.key}/${c.op}`} data-section={c.section} data-op={c.op}>
                <td>{t(`registryDiff.sections.${c.section}`)}{subject && <> · <Link to={orgHref(subject)}>{subject}</Link></>}</td>
                <td>{t(`registryDiff.ops.${c.op}`)}</td>
                <td>{c.on ? f.day(c.on) : '—'}</td>
                <td><What c={c} /></td>
                <td>
                  {c.workflow ? <Link to={`/w/${encodeURIComponent(c.workflow.workflowId)}`}>{c.workflow.title}</Link> : '—'}
                  {c.workflow?.imported && <> <span className="badge" data-testid="imported">{t('registryDiff.imported')}</span></>}
                </td>
                <td>{c.decision ? `${c.decision.body}, ${f.day(c.decision.decidedAt.slice(0, 10))}${c.decision.reference ? ` (${c.decision.reference})` : ''}` : '—'}</td>
              </tr>
            );
          })}
          {diff && diff.changes.length === 0 && <tr><td colSpan={6} className="muted">{t('registryDiff.empty')}</td></tr>}
        </tbody>
      </table>
    </>
  );
}
