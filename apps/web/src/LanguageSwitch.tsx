import { useTranslation } from 'react-i18next';
import { LANGUAGES, setLanguage } from './i18n';

/** Each language named in itself (and marked with its lang), so a user finds theirs whatever is shown now. */
export function LanguageSwitch() {
  const { t, i18n } = useTranslation();
  return (
    <div className="lang-switch" role="group" aria-label={t('language.label')}>
      {LANGUAGES.map((l) => (
        <button key={l} type="button" lang={l} className="link" aria-pressed={i18n.language === l} onClick={() => setLanguage(l)}>
          {t(`language.${l}`)}
        </button>
      ))}
    </div>
  );
}
