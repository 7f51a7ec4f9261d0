import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { describeMessage, type FieldErrors, type FieldMessage } from './issues';

export { type FieldErrors, type FieldMessage, fileIssues } from './issues';

function Message({ m, label }: { m: FieldMessage; label: string }) {
  const { t, i18n } = useTranslation();
  const { text, detail } = describeMessage(m, label, t, i18n.language);
  return <>{text}{detail && <> (<span lang="en">{detail}</span>)</>}</>;
}

/** The messages that belong to no field, each named by its path (shown at the top of a form). */
export function FormMessages({ messages }: { messages: FieldMessage[] }) {
  const { t, i18n } = useTranslation();
  return (
    <>
      {messages.map((m, i) => {
        const label = m.where.join('.') || t('form.form');
        const { text, detail } = describeMessage({ ...m, where: [] }, label, t, i18n.language);
        return <span key={i}>{i > 0 ? '; ' : ''}{i18n.language === 'en' ? `${label}: ${text}` : text}{detail && <> (<span lang="en">{detail}</span>)</>}</span>;
      })}
    </>
  );
}

export const fieldId = (form: string, field: string) => `${form}-${field.replace(/[^a-zA-Z0-9]+/g, '-')}`;

/** A labelled control with its errors beside it, tied together with aria-describedby / aria-invalid. */
export function Field({ form, name, label, errors, hint, children }: {
  form: string;
  name: string;
  label: string;
  errors: FieldErrors;
  hint?: string;
  children: (props: { id: string; name: string; 'aria-invalid': boolean; 'aria-describedby'?: string }) => ReactNode;
}) {
  const id = fieldId(form, name);
  const messages = errors[name] ?? [];
  const describedBy = [hint ? `${id}-hint` : '', messages.length ? `${id}-error` : ''].filter(Boolean).join(' ') || undefined;
  return (
    <div className={`field${messages.length ? ' invalid' : ''}`} data-field={name}>
      <label htmlFor={id}>{label}</label>
      {children({ id, name, 'aria-invalid': messages.length > 0, 'aria-describedby': describedBy })}
      {hint && <span id={`${id}-hint`} className="hint">{hint}</span>}
      {messages.length > 0 && (
        <span id={`${id}-error`} className="field-error" data-testid={`error-${name}`}>
          <span aria-hidden="true">⚠ </span>{messages.map((m, i) => <span key={i}>{i > 0 ? '; ' : ''}<Message m={m} label={label} /></span>)}
        </span>
      )}
    </div>
  );
}

/** Moves focus to the first field with an error, so keyboard and screen-reader users land on it. */
export function focusFirstError(form: HTMLFormElement | null): void {
  const first = form?.querySelector<HTMLElement>('[aria-invalid="true"]');
  first?.focus();
}

/** Euros as typed ("250", "250.5", "1 250,00") to whole cents; null when it is not an amount. */
export function eurosToCents(text: string): number | null {
  const m = /^(\d+)(?:[.,](\d{1,2}))?$/.exec(text.replace(/[\s\u00a0€]/g, ''));
  if (!m || m[1] === undefined) return null;
  return Number(m[1]) * 100 + Number((m[2] ?? '0').padEnd(2, '0'));
}

/** A number field as typed: undefined when empty, NaN when not a number (the schema then says why). */
export function numberOrUndefined(text: string): number | undefined {
  const t = text.trim();
  return t === '' ? undefined : Number(t);
}
