/** The dashboard's languages and how one is chosen; no i18next here, so it is unit-testable in Node. */
export const LANGUAGES = ['fi', 'sv', 'en'] as const;
export type Lang = (typeof LANGUAGES)[number];
export const STORAGE_KEY = 'fuusio.lang';
/** For a browser in none of our languages: English, the lingua franca of the non-Finnish users. */
export const FALLBACK: Lang = 'en';

/** Intl locale per language: Finnish and Swedish as written in Finland; English with day-month dates. */
export const LOCALE: Record<Lang, string> = { fi: 'fi-FI', sv: 'sv-FI', en: 'en-GB' };

export const isLang = (v: unknown): v is Lang => typeof v === 'string' && (LANGUAGES as readonly string[]).includes(v);

/** The stored choice first, then the browser's languages in order (fi-FI → fi), then the fallback. */
export function chooseLanguage(stored: string | null, browser: readonly string[]): Lang {
  if (isLang(stored)) return stored;
  for (const tag of browser) {
    const base = tag.toLowerCase().split('-')[0];
    if (isLang(base)) return base;
  }
  return FALLBACK;
}
