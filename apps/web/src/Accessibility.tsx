import { useTranslation } from 'react-i18next';

/** Where feedback on accessibility goes (Act 306/2019 § 15 asks for a feedback channel). */
export const FEEDBACK_EMAIL = 'saavutettavuus@fuusio.fi';
const SUPERVISOR = {
  web: { fi: 'https://www.saavutettavuusvaatimukset.fi', sv: 'https://www.tillganglighetskrav.fi', en: 'https://www.webaccessibility.fi' },
  email: 'saavutettavuus@avi.fi',
  phone: '0295 016 000',
};

/** The accessibility statement required by the Act on the Provision of Digital Services (306/2019), in fi/sv/en. */
export function AccessibilityStatement() {
  const { t, i18n } = useTranslation();
  const lang = (['fi', 'sv', 'en'] as const).find((l) => l === i18n.language) ?? 'en';
  return (
    <article className="statement">
      <h1>{t('statement.title')}</h1>
      <p>{t('statement.intro')}</p>
      <h2>{t('statement.statusH')}</h2>
      <p>{t('statement.status')}</p>
      <h2>{t('statement.gapsH')}</h2>
      <ul>
        <li>{t('statement.gap1')}</li>
        <li>{t('statement.gap2')}</li>
        <li>{t('statement.gap3')}</li>
        <li>{t('statement.gap4')}</li>
      </ul>
      <h2>{t('statement.testedH')}</h2>
      <p>{t('statement.tested')}</p>
      <h2>{t('statement.feedbackH')}</h2>
      <p>{t('statement.feedback')} <a href={`mailto:${FEEDBACK_EMAIL}`}>{FEEDBACK_EMAIL}</a>. {t('statement.feedbackReply')}</p>
      <h2>{t('statement.supervisionH')}</h2>
      <p>{t('statement.supervision')}</p>
      <ul className="plain">
        <li><a href={SUPERVISOR.web[lang]}>{SUPERVISOR.web[lang].replace('https://', '')}</a></li>
        <li><a href={`mailto:${SUPERVISOR.email}`}>{SUPERVISOR.email}</a></li>
        <li>{SUPERVISOR.phone}</li>
      </ul>
      <p className="muted small">{t('statement.updated')}</p>
    </article>
  );
}
