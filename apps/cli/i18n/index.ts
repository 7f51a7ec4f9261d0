import type { TFunction } from 'i18next';
import { isLang, type Lang } from '../../../libs/i18n/languages';
import { createTranslator } from '../../../libs/i18n/translator';
import { withWorkflowText } from '../../../libs/i18n/workflow-text';
import { UsageError } from '../io';
import en from './en.json';
import fi from './fi.json';
import sv from './sv.json';

export type CliText = TFunction;

/** The CLI's texts for people (apps/cli/i18n/*.json, the workflows' under `workflowText`): its own i18next instance, one per process. */
const texts = createTranslator(withWorkflowText({ fi, sv, en }, 'workflowText'));

export function cliTexts(lang: Lang): CliText {
  return texts.getFixedT(lang);
}

/**
 * The language of the human output: --lang, else FUUSIO_LANG, else the locale (LC_ALL, LC_MESSAGES, LANG,
 * the first set, as POSIX reads them): fi_FI… gives Finnish, sv_FI or sv_SE… Swedish, anything else
 * (en_US, C, POSIX, unset) English. English is the default so scripts and their users see what they always did.
 * A FUUSIO_LANG that is not fi, sv or en is a usage error, as --lang's is; a locale we do not speak is not.
 */
export function cliLanguage(option: string | undefined, env: NodeJS.ProcessEnv): Lang {
  if (option !== undefined) return option as Lang; // commander has checked it against the choices
  const chosen = env.FUUSIO_LANG?.trim();
  if (chosen) {
    if (!isLang(chosen)) throw new UsageError(`FUUSIO_LANG "${chosen}" is not one of fi, sv, en`);
    return chosen;
  }
  const locale = [env.LC_ALL, env.LC_MESSAGES, env.LANG].find((v) => v !== undefined && v !== '') ?? '';
  const base = locale.toLowerCase().split(/[_.@-]/)[0];
  return base === 'fi' || base === 'sv' ? base : 'en';
}
