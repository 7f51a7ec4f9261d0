import { describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { flatten, placeholders } from '../../../../libs/i18n/catalogue-check';
import { chooseLanguage, LANGUAGES } from './languages';

type Tree = { [key: string]: string | Tree };
const load = (lang: string) => JSON.parse(readFileSync(join(__dirname, `${lang}.json`), 'utf8')) as Tree;

describe('message catalogues', () => {
  const catalogues = Object.fromEntries(LANGUAGES.map((l) => [l, flatten(load(l))]));
  const reference = catalogues.en as Map<string, string>;

  it.each(LANGUAGES.filter((l) => l !== 'en'))('%s has exactly the keys of en (none missing, none extra)', (lang) => {
    const keys = [...(catalogues[lang] as Map<string, string>).keys()];
    expect(reference.size).toBeGreaterThan(100);
    expect([...reference.keys()].filter((k) => !keys.includes(k))).toEqual([]);
    expect(keys.filter((k) => !reference.has(k))).toEqual([]);
  });

  it.each(LANGUAGES)('%s: every text is written and uses the same {{placeholders}} as en', (lang) => {
    for (const [key, text] of catalogues[lang] as Map<string, string>) {
      expect([key, text.trim().length > 0]).toEqual([key, true]);
      expect([key, placeholders(text)]).toEqual([key, placeholders(reference.get(key) ?? '')]);
    }
  });
});

describe('chooseLanguage', () => {
  it('a Finnish browser gets Finnish, a Swedish one Swedish, others English; a stored choice wins', () => {
    expect(chooseLanguage(null, ['fi-FI', 'en-US'])).toBe('fi');
    expect(chooseLanguage(null, ['sv-FI'])).toBe('sv');
    expect(chooseLanguage(null, ['de-DE', 'sv-SE'])).toBe('sv');
    expect(chooseLanguage(null, ['de-DE', 'fr'])).toBe('en');
    expect(chooseLanguage(null, [])).toBe('en');
    expect(chooseLanguage('sv', ['fi-FI'])).toBe('sv');
    expect(chooseLanguage('xx', ['fi-FI'])).toBe('fi');
  });
});
