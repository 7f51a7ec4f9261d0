/** The languages Fuusio speaks to people in (issue 15): Finnish, Swedish and English. */
export const LANGUAGES = ['fi', 'sv', 'en'] as const;
export type Lang = (typeof LANGUAGES)[number];

/** The Intl locale of each language: Finnish and Swedish as written in Finland; English with day-month dates. */
export const LOCALE: Record<Lang, string> = { fi: 'fi-FI', sv: 'sv-FI', en: 'en-GB' };

export const isLang = (v: unknown): v is Lang => typeof v === 'string' && (LANGUAGES as readonly string[]).includes(v);
