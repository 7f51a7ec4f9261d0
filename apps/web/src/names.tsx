import { useTranslation } from 'react-i18next';

/** An organisation as the registry names it: the Finnish name of record and the Swedish one where it has one. */
export type Named = { name: string; nameSv?: string | null };

/** The name to show a reader of `lang`, with the language it is written in (for the `lang` attribute). */
export function localName(o: Named, lang: string): { text: string; lang: 'fi' | 'sv' } {
  return lang === 'sv' && o.nameSv ? { text: o.nameSv, lang: 'sv' } : { text: o.name, lang: 'fi' };
}

/** The organisation's name in the UI language; a name in another language is marked so a screen reader reads it right. */
export function OrgName({ org }: { org: Named }) {
  const { i18n } = useTranslation();
  const n = localName(org, i18n.language);
  return n.lang === i18n.language ? <>{n.text}</> : <span lang={n.lang}>{n.text}</span>;
}

/** A workflow stage's name in the UI language (stage keys are shared across kinds: `checked`, `board`, `decisions`, …). */
export function useStageName(): (key: string, fallback?: string) => string {
  const { t } = useTranslation();
  return (key, fallback) => t(`stageName.${key}`, { defaultValue: fallback ?? key });
}

export function StageName({ stage }: { stage: string }) {
  return <>{useStageName()(stage)}</>;
}
