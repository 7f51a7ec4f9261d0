import type { ReactNode } from 'react';

/** Errors by form field; messages that match no field go under the key ''. */
export type FieldErrors = Record<string, string[]>;

/**
 * Files issues (zod's `path` arrays or the API's dotted `details[].path`) under the form fields they
 * belong to: the longest field whose path is a prefix of the issue's path. An issue inside a list
 * (`merging.2`) is filed under the list's field and names the item.
 */
export function fileIssues(issues: { path: string | readonly PropertyKey[]; message: string }[], fields: readonly string[]): FieldErrors {
  const out: FieldErrors = {};
  const add = (key: string, message: string) => {
    out[key] = [...(out[key] ?? []), message];
  };
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
    const rest = field ? parts.slice(field.split('.').length) : parts;
    const where = rest.length ? rest.map((p) => (/^\d+$/.test(p) ? `item ${Number(p) + 1}` : p)).join(' › ') : '';
    add(field, field ? (where ? `${where}: ${issue.message}` : issue.message) : `${parts.join('.') || 'form'}: ${issue.message}`);
  }
  return out;
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
          <span aria-hidden="true">⚠ </span>{messages.join('; ')}
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
