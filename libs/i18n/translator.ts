import i18next, { type i18n, type Resource } from 'i18next';
import { HELSINKI } from '../domain/helsinki-time';
import { isLang, LOCALE, type Lang } from './languages';

/** A catalogue: nested keys, texts with {{placeholders}} (i18next's syntax). */
export type Catalogue = { [key: string]: string | Catalogue };

const CALENDAR_DAY = /^\d{4}-\d{2}-\d{2}$/;

/**
 * A Helsinki calendar date in the reader's locale (`1. helmikuuta 2026`, `1 februari 2026`, `1 February 2026`).
 * An instant is shown as the Helsinki day it falls on; a bare `YYYY-MM-DD` is already such a day, so it is
 * read at noon UTC, which is the same day in Helsinki.
 */
export function formatHelsinkiDate(value: unknown, lang: string, dateStyle: 'long' | 'short' = 'long'): string {
  const text = value instanceof Date ? value.toISOString() : String(value ?? '');
  const at = new Date(CALENDAR_DAY.test(text) ? `${text}T12:00:00Z` : text);
  if (Number.isNaN(at.getTime())) return text;
  const locale = isLang(lang) ? LOCALE[lang] : lang;
  return new Intl.DateTimeFormat(locale, { timeZone: HELSINKI, dateStyle }).format(at);
}

/**
 * A server-side i18next instance over the given catalogues, ready at once (no backend to load), separate
 * from the dashboard's. Texts are plain text (mail, a terminal), so nothing is HTML-escaped. Besides the
 * built-in formatters (`{{names, list}}`), `{{day, helsinkiDate}}` shows a Helsinki calendar date.
 */
export function createTranslator(catalogues: Record<Lang, Catalogue>, lng: Lang = 'en'): i18n {
  const resources: Resource = Object.fromEntries(Object.entries(catalogues).map(([lang, c]) => [lang, { translation: c }]));
  const instance = i18next.createInstance();
  void instance.init({
    resources,
    lng,
    fallbackLng: false,
    interpolation: { escapeValue: false },
    returnNull: false,
    initAsync: false,
  });
  instance.services.formatter?.add('helsinkiDate', (value: unknown, lang: string | undefined) => formatHelsinkiDate(value, lang ?? lng));
  return instance;
}
