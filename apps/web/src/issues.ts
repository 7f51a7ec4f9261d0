import type { TFunction } from 'i18next';

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

