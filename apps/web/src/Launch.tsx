import { type FormEvent, useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router';
// The same schemas the API validates launches with (libs/domain/schemas.ts), so errors match field for field.
import { LAUNCH_KINDS } from '../../../libs/domain/launch-kinds';
import { APPLICANT_KINDS, onboardingInputSchema, shareholdingMergerInputSchema } from '../../../libs/domain/schemas';
import { api, ApiFailure, type Me, type Organisation } from './api';
import { apiErrorText } from './errors';
import { eurosToCents, Field, type FieldErrors, type FieldMessage, fileIssues, focusFirstError, FormMessages, numberOrUndefined } from './form';

export type Kind = keyof typeof LAUNCH_KINDS;
type JsonKind = 'consolidation' | 'project';

/** Kinds with inputs too rich for a form: the body is pasted as JSON (the ready bodies live in infra/seed/launch/). */
const JSON_KINDS: Record<JsonKind, { title: string; example: string }> = {
  consolidation: { title: 'launch.consolidation', example: 'infra/seed/launch/consolidation-uusimaa.json' },
  project: { title: 'launch.project', example: 'infra/seed/launch/project-osallisuuden-polut.json' },
};

const ONBOARDING_FIELDS = [
  'company', 'applicant.name', 'applicant.businessId', 'applicant.kind', 'applicant.region', 'shares', 'pricePerShareCents',
  'deadlines.boardDecision', 'deadlines.subscription', 'deadlines.payment', 'deadlines.reminders',
] as const;
const MERGER_FIELDS = ['company', 'merging', 'into.businessId', 'into.name', 'into.region', 'into.population', 'effectiveDate'] as const;

export function LaunchPage({ me, kind }: { me: Me; kind: Kind }) {
  const { t } = useTranslation();
  const [companies, setCompanies] = useState<Organisation[]>([]);
  useEffect(() => {
    if (me.role !== 'admin') return;
    api.organisations({ kind: 'company' }).then((r) => setCompanies(r.items), () => undefined);
  }, [me.role]);

  if (me.role !== 'admin') {
    return (
      <>
        <h1>{t('launch.title')}</h1>
        <p className="error" role="alert">{t('launch.onlyAdmins')}</p>
      </>
    );
  }
  return (
    <div className="launch">
      <h1>{t('launch.title')}</h1>
      <nav aria-label={t('launch.kinds')} className="kind-switch">
        <Link to="/launch/onboarding" aria-current={kind === 'onboarding' ? 'page' : undefined}>{t('launch.onboarding')}</Link>
        <Link to="/launch/shareholding-merger" aria-current={kind === 'shareholding-merger' ? 'page' : undefined}>{t('launch.merger')}</Link>
        {(Object.keys(JSON_KINDS) as JsonKind[]).map((k) => (
          <Link key={k} to={`/launch/${k}`} aria-current={kind === k ? 'page' : undefined}>{t(JSON_KINDS[k].title)}</Link>
        ))}
      </nav>
      <datalist id="companies">{companies.map((c) => <option key={c.businessId} value={c.businessId}>{c.name}</option>)}</datalist>
      {kind === 'onboarding'
        ? <OnboardingForm defaultCompany={companies[0]?.businessId ?? ''} />
        : kind === 'shareholding-merger'
          ? <MergerForm defaultCompany={companies[0]?.businessId ?? ''} />
          : <JsonLaunchForm kind={kind} key={kind} />}
    </div>
  );
}

/** Checks a body with a schema in the browser, sends it only when valid, and files every error by field. */
type FormError = { text?: string; messages: FieldMessage[] };

function useLaunch(kind: Kind, fields: readonly string[]) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const form = useRef<HTMLFormElement>(null);
  const [errors, setErrors] = useState<FieldErrors>({});
  const [formError, setFormError] = useState<FormError | null>(null);
  const [status, setStatus] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    if (Object.keys(errors).length || formError) focusFirstError(form.current);
  }, [errors, formError]);

  async function submit(body: unknown, issues: { path: readonly PropertyKey[] | string; message: string }[]) {
    setFormError(null);
    setStatus(null);
    if (issues.length) {
      const filed = fileIssues(issues, fields);
      setErrors(filed);
      if (filed['']) setFormError({ messages: filed[''] });
      return;
    }
    setErrors({});
    setBusy(true);
    try {
      const launched = await api.launch(kind, body);
      setStatus(t('launch.launched', { id: launched.workflowId }));
      // The projection row is written by the worker a moment after the start; wait for it briefly.
      for (let i = 0; i < 40; i++) {
        try {
          await api.detail(launched.workflowId);
          break;
        } catch {
          await new Promise((r) => setTimeout(r, 250));
        }
      }
      navigate(`/w/${encodeURIComponent(launched.workflowId)}`);
    } catch (err) {
      if (err instanceof ApiFailure) {
        // The API's code picks the sentence; its details are filed by field, each with its own sentence.
        const filed = fileIssues(err.details, fields, err.code);
        setFormError({ text: apiErrorText(err, t), messages: filed[''] ?? [] });
        setErrors(filed);
      } else {
        setFormError({ text: apiErrorText(err, t), messages: [] });
      }
    } finally {
      setBusy(false);
    }
  }

  return { form, errors, formError, status, busy, submit };
}

function FormFooter({ busy, formError, status, label }: { busy: boolean; formError: FormError | null; status: string | null; label: string }) {
  const { t } = useTranslation();
  return (
    <>
      {formError && (
        <p className="error" role="alert" data-testid="form-error">
          {formError.text}{formError.text && formError.messages.length ? ' ' : ''}<FormMessages messages={formError.messages} />
        </p>
      )}
      {status && <p className="muted" role="status">{status}</p>}
      <p><button type="submit" disabled={busy}>{busy ? t('launch.launching') : label}</button></p>
    </>
  );
}

function OnboardingForm({ defaultCompany }: { defaultCompany: string }) {
  const { t } = useTranslation();
  const [v, setV] = useState({
    company: '', name: '', businessId: '', kind: 'municipality', region: '', shares: '', price: '',
    boardDecision: '', subscription: '', payment: '', reminders: '',
  });
  const { form, errors, formError, status, busy, submit } = useLaunch('onboarding', ONBOARDING_FIELDS);
  const company = v.company || defaultCompany;
  const set = (key: keyof typeof v) => (e: { target: { value: string } }) => setV((prev) => ({ ...prev, [key]: e.target.value }));

  function onSubmit(e: FormEvent) {
    e.preventDefault();
    const cents = eurosToCents(v.price);
    const reminders = v.reminders.split(/[,;]/).map((s) => s.trim()).filter(Boolean);
    const deadlines = {
      ...(v.boardDecision.trim() ? { boardDecision: v.boardDecision.trim() } : {}),
      ...(v.subscription.trim() ? { subscription: v.subscription.trim() } : {}),
      ...(v.payment.trim() ? { payment: v.payment.trim() } : {}),
      ...(reminders.length ? { reminders } : {}),
    };
    const body = {
      company: company.trim(),
      applicant: { name: v.name, businessId: v.businessId.trim(), kind: v.kind, ...(v.region.trim() ? { region: v.region.trim() } : {}) },
      shares: numberOrUndefined(v.shares),
      pricePerShareCents: cents ?? Number.NaN,
      ...(Object.keys(deadlines).length ? { deadlines } : {}),
    };
    const parsed = onboardingInputSchema.safeParse(body);
    const issues: { path: readonly PropertyKey[]; message: string }[] = parsed.success ? [] : [...parsed.error.issues];
    const priceIssues = cents === null
      ? [{ path: ['pricePerShareCents'], message: t('launch.priceInvalid') }]
      : [];
    void submit(body, [...issues.filter((i) => cents !== null || i.path[0] !== 'pricePerShareCents'), ...priceIssues]);
  }

  const f = { form: 'onb', errors };
  return (
    <form ref={form} className="card launch-form" onSubmit={onSubmit} noValidate aria-labelledby="onb-h">
      <h2 id="onb-h">{t('launch.onboarding')}</h2>
      <Field {...f} name="company" label={t('launch.company')} hint={t('launch.companyHint')}>
        {(p) => <input {...p} list="companies" value={company} onChange={set('company')} autoComplete="off" />}
      </Field>
      <fieldset>
        <legend>{t('launch.applicant')}</legend>
        <Field {...f} name="applicant.name" label={t('launch.applicantName')}>
          {(p) => <input {...p} value={v.name} onChange={set('name')} autoComplete="off" />}
        </Field>
        <Field {...f} name="applicant.businessId" label={t('launch.applicantBusinessId')} hint={t('launch.businessIdHint')}>
          {(p) => <input {...p} value={v.businessId} onChange={set('businessId')} autoComplete="off" />}
        </Field>
        <Field {...f} name="applicant.kind" label={t('launch.applicantKind')}>
          {(p) => <select {...p} value={v.kind} onChange={set('kind')}>{APPLICANT_KINDS.map((k) => <option key={k} value={k}>{t(`orgKind.${k}`, { defaultValue: k })}</option>)}</select>}
        </Field>
        <Field {...f} name="applicant.region" label={t('launch.applicantRegion')}>
          {(p) => <input {...p} value={v.region} onChange={set('region')} />}
        </Field>
      </fieldset>
      <fieldset>
        <legend>{t('launch.sharesAndPrice')}</legend>
        <Field {...f} name="shares" label={t('launch.shares')}>
          {(p) => <input {...p} inputMode="numeric" value={v.shares} onChange={set('shares')} size={8} />}
        </Field>
        <Field {...f} name="pricePerShareCents" label={t('launch.price')} hint={t('launch.priceHint')}>
          {(p) => <input {...p} inputMode="decimal" value={v.price} onChange={set('price')} size={10} />}
        </Field>
      </fieldset>
      <details>
        <summary>{t('launch.deadlines')}</summary>
        <p className="muted small">{t('launch.deadlinesHint')}</p>
        <Field {...f} name="deadlines.boardDecision" label={t('launch.boardDecision')}>
          {(p) => <input {...p} value={v.boardDecision} onChange={set('boardDecision')} placeholder={t('launch.boardPlaceholder')} />}
        </Field>
        <Field {...f} name="deadlines.subscription" label={t('launch.subscription')}>
          {(p) => <input {...p} value={v.subscription} onChange={set('subscription')} placeholder="30 days" />}
        </Field>
        <Field {...f} name="deadlines.payment" label={t('launch.payment')}>
          {(p) => <input {...p} value={v.payment} onChange={set('payment')} placeholder="30 days" />}
        </Field>
        <Field {...f} name="deadlines.reminders" label={t('launch.reminders')} hint={t('launch.remindersHint')}>
          {(p) => <input {...p} value={v.reminders} onChange={set('reminders')} placeholder="7 days, 1 day" />}
        </Field>
      </details>
      <FormFooter busy={busy} formError={formError} status={status} label={t('launch.submitOnboarding')} />
    </form>
  );
}

function MergerForm({ defaultCompany }: { defaultCompany: string }) {
  const { t } = useTranslation();
  const [v, setV] = useState({ company: '', merging: '', intoId: '', intoName: '', intoRegion: '', intoPopulation: '', effectiveDate: '' });
  const { form, errors, formError, status, busy, submit } = useLaunch('shareholding-merger', MERGER_FIELDS);
  const company = v.company || defaultCompany;
  const set = (key: keyof typeof v) => (e: { target: { value: string } }) => setV((prev) => ({ ...prev, [key]: e.target.value }));

  function onSubmit(e: FormEvent) {
    e.preventDefault();
    const body = {
      company: company.trim(),
      merging: v.merging.split(/[\s,;]+/).map((s) => s.trim()).filter(Boolean),
      into: {
        businessId: v.intoId.trim(),
        name: v.intoName,
        ...(v.intoRegion.trim() ? { region: v.intoRegion.trim() } : {}),
        ...(v.intoPopulation.trim() ? { population: numberOrUndefined(v.intoPopulation) } : {}),
      },
      effectiveDate: v.effectiveDate,
    };
    const parsed = shareholdingMergerInputSchema.safeParse(body);
    void submit(body, parsed.success ? [] : parsed.error.issues);
  }

  const f = { form: 'mrg', errors };
  return (
    <form ref={form} className="card launch-form" onSubmit={onSubmit} noValidate aria-labelledby="mrg-h">
      <h2 id="mrg-h">{t('launch.merger')}</h2>
      <Field {...f} name="company" label={t('launch.company')} hint={t('launch.mergerCompanyHint')}>
        {(p) => <input {...p} list="companies" value={company} onChange={set('company')} autoComplete="off" />}
      </Field>
      <Field {...f} name="merging" label={t('launch.merging')} hint={t('launch.mergingHint')}>
        {(p) => <textarea {...p} rows={4} cols={30} value={v.merging} onChange={set('merging')} />}
      </Field>
      <fieldset>
        <legend>{t('launch.into')}</legend>
        <Field {...f} name="into.businessId" label={t('launch.intoId')}>
          {(p) => <input {...p} value={v.intoId} onChange={set('intoId')} autoComplete="off" />}
        </Field>
        <Field {...f} name="into.name" label={t('launch.intoName')}>
          {(p) => <input {...p} value={v.intoName} onChange={set('intoName')} />}
        </Field>
        <Field {...f} name="into.region" label={t('launch.intoRegion')}>
          {(p) => <input {...p} value={v.intoRegion} onChange={set('intoRegion')} />}
        </Field>
        <Field {...f} name="into.population" label={t('launch.intoPopulation')}>
          {(p) => <input {...p} inputMode="numeric" value={v.intoPopulation} onChange={set('intoPopulation')} size={10} />}
        </Field>
      </fieldset>
      <Field {...f} name="effectiveDate" label={t('launch.effectiveDate')}>
        {(p) => <input {...p} type="date" value={v.effectiveDate} onChange={set('effectiveDate')} />}
      </Field>
      <FormFooter busy={busy} formError={formError} status={status} label={t('launch.submitMerger')} />
    </form>
  );
}

function JsonLaunchForm({ kind }: { kind: JsonKind }) {
  const { t } = useTranslation();
  const [text, setText] = useState('');
  const { form, errors, formError, status, busy, submit } = useLaunch(kind, ['body']);
  const { title, example } = JSON_KINDS[kind];

  function onSubmit(e: FormEvent) {
    e.preventDefault();
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch (err) {
      void submit(null, [{ path: ['body'], message: t('launch.notJson', { reason: (err as Error).message }) }]);
      return;
    }
    const parsed = LAUNCH_KINDS[kind].schema.safeParse(body);
    void submit(body, parsed.success ? [] : parsed.error.issues);
  }

  return (
    <form ref={form} className="card launch-form" onSubmit={onSubmit} noValidate aria-labelledby={`${kind}-h`}>
      <h2 id={`${kind}-h`}>{t(title)}</h2>
      <Field form={kind} errors={errors} name="body" label={t('launch.body')} hint={t('launch.bodyHint', { example })}>
        {(p) => <textarea {...p} rows={18} cols={80} className="mono" value={text} onChange={(e) => setText(e.target.value)} spellCheck={false} />}
      </Field>
      <FormFooter busy={busy} formError={formError} status={status} label={t('launch.submitJson', { kind: t(`kind.${kind}`) })} />
    </form>
  );
}

