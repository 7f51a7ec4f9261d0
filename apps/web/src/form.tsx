import type { TFunction } from 'i18next';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';

/**
 * One problem with a field: where inside it (list items as numbers), the English message of the schema
 * or the API (kept as a technical detail), and its stable code: the zod issue code (`code`) or the API's
 * error code (`api`). The dashboard writes its own sentence from the codes in the user's language.
 */
export type FieldMessage = { where: string[]; message: string; code?: string; api?: string };
/** Errors by form field; messages that match no field go under the key ''. */
export type FieldErrors = Record<string, FieldMessage[]>;

type Issue = { path: string | readonly PropertyKey[]; message: string; code?: string };

/**
 * Files issues (zod's `path` arrays or the API's dotted `details[].path`) under the form fields they
 * belong to: the longest field whose path is a prefix of the issue's path. An issue inside a list
 * (`merging.2`) is filed under the list's field and names the item.
 */
export function fileIssues(issues: Issue[], fields: readonly string[], api?: string): FieldErrors {
  const out: FieldErrors = {};
  for (const issue of issues) {
    const parts = typeof issue.path === 'string'
      ? issue.path.split('.').filter((p) => p && p !== '(body)')
      : issue.path.map(String);
    let field = '';
    for (let n = parts.length; n > 0; n--) {
      const candidate = parts.slice(0, n).join('.');
      if (fields.includes(candidate)) {
        field = candidate;
        break;
      }
    }
    const where = field ? parts.slice(field.split('.').length) : parts;
    const m: FieldMessage = { where, message: issue.message, ...(issue.code ? { code: issue.code } : {}), ...(api ? { api } : {}) };
    out[field] = [...(out[field] ?? []), m];
  }
  return out;
}

/**
 * A message in the user's language. English shows the schema's or the API's own (English) wording,
 * which is the most specific; Finnish and Swedish say the field's label and a sentence chosen by the
 * code, with the English detail beside it marked lang="en". Messages without a code were written by
 * the dashboard itself and are already translated.
 */
export function describeMessage(m: FieldMessage, label: string, t: TFunction, lang: string): { text: string; detail?: string } {
  const where = m.where.map((p) => (/^\d+$/.test(p) ? t('form.item', { n: Number(p) + 1 }) : p)).join(' › ');
  const prefix = where ? `${where}: ` : '';
  if (lang === 'en' || (!m.code && !m.api)) return { text: `${prefix}${m.message}` };
  const sentence = m.api
    ? t(`fieldError.${m.api}`, { defaultValue: t('fieldError.default') })
    : t(`issue.${m.code}`, { defaultValue: t('issue.default') });
  return { text: `${label} ${prefix ? `(${where}) ` : ''}${sentence}`, detail: m.message };
}

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
