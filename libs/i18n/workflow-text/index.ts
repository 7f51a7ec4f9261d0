import type { Lang } from '../languages';
import type { Catalogue } from '../translator';
import en from './en.json';
import fi from './fi.json';
import sv from './sv.json';

/**
 * The sentences for the workflows' own texts (libs/domain/workflow-sentences.ts), one catalogue for every
 * reader of them: the dashboard mounts it under `workflowText`, the mail under `workflow`.
 */
export const WORKFLOW_TEXT: Record<Lang, Catalogue> = { fi, sv, en };

/** `catalogues` with the workflow texts mounted under `section` in each language. */
export function withWorkflowText<C extends Catalogue>(catalogues: Record<Lang, C>, section: string): Record<Lang, C & Catalogue> {
  return {
    fi: { ...catalogues.fi, [section]: WORKFLOW_TEXT.fi },
    sv: { ...catalogues.sv, [section]: WORKFLOW_TEXT.sv },
    en: { ...catalogues.en, [section]: WORKFLOW_TEXT.en },
  };
}
