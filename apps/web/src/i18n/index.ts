import i18next from 'i18next';
import { initReactI18next } from 'react-i18next';
import en from './en.json';
import fi from './fi.json';
import sv from './sv.json';
import { withWorkflowText } from '../../../../libs/i18n/workflow-text';
import { chooseLanguage, type Lang, STORAGE_KEY } from './languages';

export * from './languages';

function stored(): string | null {
  try {
    return localStorage.getItem(STORAGE_KEY);
  } catch {
    return null; // storage blocked: the browser's language decides
  }
}

/** <html lang> follows the language, so screen readers pronounce the page right. */
function markDocument(lang: string): void {
  document.documentElement.lang = lang;
  document.title = i18n.t('app.title');
}

export const i18n = i18next.createInstance();
void i18n.use(initReactI18next).init({
  // The sentences for the workflows' own texts are shared with the mail (libs/i18n/workflow-text).
  resources: Object.fromEntries(Object.entries(withWorkflowText({ fi, sv, en }, 'workflowText')).map(([lang, c]) => [lang, { translation: c }])),
  lng: chooseLanguage(stored(), navigator.languages ?? [navigator.language]),
  fallbackLng: 'en',
  interpolation: { escapeValue: false }, // React escapes
  returnNull: false,
  initAsync: false,
});
i18n.on('languageChanged', markDocument);
markDocument(i18n.language);

/** The user's choice, kept in localStorage across visits. */
export function setLanguage(lang: Lang): void {
  try {
    localStorage.setItem(STORAGE_KEY, lang);
  } catch { /* not kept; still switched for this page */ }
  void i18n.changeLanguage(lang);
}
