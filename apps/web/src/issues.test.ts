import { describe, expect, it } from '@jest/globals';
import i18next from 'i18next';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { ApiFailure } from './api';
import { apiErrorText } from './errors';
import { describeMessage, fileIssues } from './issues';

const catalogue = (lang: string) => JSON.parse(readFileSync(join(__dirname, 'i18n', `${lang}.json`), 'utf8'));
const i18n = i18next.createInstance();
void i18n.init({
  resources: { fi: { translation: catalogue('fi') }, sv: { translation: catalogue('sv') }, en: { translation: catalogue('en') } },
  lng: 'en', fallbackLng: 'en', interpolation: { escapeValue: false }, initAsync: false,
});
const t = (lang: string) => i18n.getFixedT(lang);

describe('errors in the user\'s language, by stable code and field', () => {
  const schema = z.object({ shares: z.number().int().min(1), merging: z.array(z.string().regex(/^\d{7}-\d$/, 'a business ID such as 0196714-1')) });
  const parsed = schema.safeParse({ shares: 0, merging: ['0196714-1', 'x'] });
  const issues = parsed.success ? [] : parsed.error.issues;
  const filed = fileIssues(issues, ['shares', 'merging']);

  it('files schema issues under their fields, naming the list item', () => {
    expect(Object.keys(filed).sort()).toEqual(['merging', 'shares']);
    expect(filed.merging?.[0]).toMatchObject({ where: ['1'], code: 'invalid_format', message: 'a business ID such as 0196714-1' });
  });

  it('English keeps the schema\'s own wording; Finnish and Swedish say the field and a sentence per code, the English as a detail', () => {
    const m = filed.merging?.[0];
    if (!m) throw new Error('no issue filed');
    expect(describeMessage(m, 'Merging municipalities', t('en'), 'en')).toEqual({ text: 'item 2: a business ID such as 0196714-1' });
    expect(describeMessage(m, 'Yhdistyvät kunnat', t('fi'), 'fi')).toEqual({ text: 'Yhdistyvät kunnat (kohta 2) ei ole oikeassa muodossa', detail: 'a business ID such as 0196714-1' });
    expect(describeMessage(m, 'Kommuner som går samman', t('sv'), 'sv')).toEqual({ text: 'Kommuner som går samman (punkt 2) har inte rätt format', detail: 'a business ID such as 0196714-1' });
  });

  it('an API detail is filed by its path and worded by the API\'s code; the top-level sentence too', () => {
    const failure = new ApiFailure(422, 'unknown_company', 'company 1234567-1 is not in the registry', [{ path: 'company', message: 'not in the registry' }]);
    const byField = fileIssues(failure.details, ['company'], failure.code);
    const m = byField.company?.[0];
    if (!m) throw new Error('no detail filed');
    expect(describeMessage(m, 'Yhtiö (Y-tunnus)', t('fi'), 'fi')).toEqual({ text: 'Yhtiö (Y-tunnus) ei ole rekisterissä', detail: 'not in the registry' });
    expect(apiErrorText(failure, t('fi'))).toBe('Yhtiötä ei ole rekisterissä.');
    expect(apiErrorText(failure, t('sv'))).toBe('Bolaget finns inte i registret.');
    expect(apiErrorText(failure, t('en'))).toBe('That company is not in the registry.');
    // A code the dashboard has no sentence for still says which code it was.
    expect(apiErrorText(new ApiFailure(409, 'brand_new_code', 'x'), t('fi'))).toBe('Pyyntö epäonnistui (brand_new_code).');
  });
});
