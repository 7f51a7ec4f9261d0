import { useTranslation } from 'react-i18next';
import { HELSINKI } from '../../../libs/domain/helsinki-time';
import { isLang, LOCALE } from './i18n/languages';

/**
 * Dates and numbers in the user's language, always on the Helsinki clock: a deadline reads the same
 * day and hour in Helsinki, Stockholm or a laptop set to UTC.
 */
export function formatters(lang: string) {
  const locale = LOCALE[isLang(lang) ? lang : 'en'];
  const dateTime = new Intl.DateTimeFormat(locale, { timeZone: HELSINKI, year: 'numeric', month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit' });
  const stamp = new Intl.DateTimeFormat(locale, { timeZone: HELSINKI, month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit', second: '2-digit' });
  const day = new Intl.DateTimeFormat(locale, { timeZone: HELSINKI, year: 'numeric', month: 'numeric', day: 'numeric' });
  const clock = new Intl.DateTimeFormat(locale, { timeZone: HELSINKI, hour: '2-digit', minute: '2-digit' });
  const number = new Intl.NumberFormat(locale);
  const euro = new Intl.NumberFormat(locale, { style: 'currency', currency: 'EUR', maximumFractionDigits: 0 });
  const valid = (iso: string | null | undefined): iso is string => !!iso && !Number.isNaN(Date.parse(iso));
  return {
    locale,
    /** An instant as a Helsinki date and time. */
    dateTime: (iso: string | null | undefined) => (valid(iso) ? dateTime.format(new Date(iso)) : '—'),
    /** An instant to the second (audit trail, stage times). */
    time: (iso: string | null | undefined) => (valid(iso) ? stamp.format(new Date(iso)) : '—'),
    /** A calendar date (YYYY-MM-DD, already a Helsinki day) in the user's order; read at noon so no zone can shift it. */
    day: (ymd: string | null | undefined) => (ymd && /^\d{4}-\d\d-\d\d$/.test(ymd) ? day.format(new Date(`${ymd}T12:00:00Z`)) : ymd ?? '—'),
    clock: (iso: string) => (valid(iso) ? clock.format(new Date(iso)) : '—'),
    number: (n: number | null | undefined) => (n == null ? '—' : number.format(n)),
    euros: (cents: number) => euro.format(cents / 100),
  };
}
export type Format = ReturnType<typeof formatters>;

const cache = new Map<string, Format>();

/** The formatters of the current language (made once per language: Intl formatters are not cheap to build). */
export function useFormat(): Format {
  const { i18n } = useTranslation();
  let f = cache.get(i18n.language);
  if (!f) cache.set(i18n.language, (f = formatters(i18n.language)));
  return f;
}
