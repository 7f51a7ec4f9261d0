import { catalogueProblems, flatten } from '../../../libs/i18n/catalogue-check';
import { cliLanguage, cliTexts } from '.';
import en from './en.json';
import fi from './fi.json';
import sv from './sv.json';

describe('CLI catalogues', () => {
  test('fi, sv and en have the same keys, no empty text and the same variables', () => {
    expect(flatten(en).size).toBeGreaterThan(50);
    expect(catalogueProblems({ fi, sv, en }, 'en')).toEqual([]);
  });

  test('a text in each language', () => {
    expect(cliTexts('fi')('workflow.noneMatch')).toBe('hakua vastaavia prosesseja ei ole');
    expect(cliTexts('sv')('inbox.empty', { person: 'socom-board-1' })).toBe('inget väntar på socom-board-1');
    expect(cliTexts('en')('common.more', { cursor: 'abc' })).toBe('more: add --cursor abc');
  });
});

describe('the CLI\'s language', () => {
  test('--lang first, then FUUSIO_LANG, then the locale (LC_ALL, LC_MESSAGES, LANG); English when none says otherwise', () => {
    expect(cliLanguage('sv', { FUUSIO_LANG: 'fi', LANG: 'fi_FI.UTF-8' })).toBe('sv');
    expect(cliLanguage(undefined, { FUUSIO_LANG: 'sv', LANG: 'fi_FI.UTF-8' })).toBe('sv');
    expect(cliLanguage(undefined, { LANG: 'fi_FI.UTF-8' })).toBe('fi');
    expect(cliLanguage(undefined, { LANG: 'sv_FI.UTF-8' })).toBe('sv');
    expect(cliLanguage(undefined, { LANG: 'sv_SE.UTF-8' })).toBe('sv');
    expect(cliLanguage(undefined, { LC_ALL: 'en_US.UTF-8', LANG: 'fi_FI.UTF-8' })).toBe('en');
    expect(cliLanguage(undefined, { LC_ALL: '', LC_MESSAGES: 'sv_FI', LANG: 'fi_FI' })).toBe('sv');
    expect(cliLanguage(undefined, { LANG: 'de_DE.UTF-8' })).toBe('en');
    expect(cliLanguage(undefined, { LANG: 'C.UTF-8' })).toBe('en');
    expect(cliLanguage(undefined, {})).toBe('en');
  });

  test('a FUUSIO_LANG we do not speak is a usage error that names it', () => {
    expect(() => cliLanguage(undefined, { FUUSIO_LANG: 'de' })).toThrow('FUUSIO_LANG "de" is not one of fi, sv, en');
  });
});
