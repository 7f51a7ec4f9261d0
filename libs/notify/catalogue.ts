import type { Language, MessageKind, MessageParams, StepMessageKind } from '../domain/notifications';
import { createTranslator } from '../i18n/translator';
import { withWorkflowText } from '../i18n/workflow-text';
import en from './i18n/en.json';
import fi from './i18n/fi.json';
import sv from './i18n/sv.json';
import { workflowWords } from './workflow-words';

export type RenderedMail = { subject: string; text: string };

/** Whose names a text shows: a person id → their display name (null once erased). */
export type PersonNames = ReadonlyMap<string, string | null>;

/** The mail texts (libs/notify/i18n/*.json, the workflows' under `workflow`): one server-side i18next instance, separate from the dashboard's. */
const texts = createTranslator(withWorkflowText({ fi, sv, en }, 'workflow'));

/** The catalogue key of each kind a step sends. */
const KEY: Record<StepMessageKind, string> = { 'approval.opened': 'approval', reminder: 'reminder', escalation: 'escalation', notice: 'notice' };

/** The dashboard page of a workflow. */
export function itemLink(publicUrl: string, workflowId: string): string {
  return `${publicUrl.replace(/\/+$/, '')}/#/w/${encodeURIComponent(workflowId)}`;
}

/** The person ids a message names (the members a substitute stands in for), a digest's items included. */
export function personIdsIn(p: MessageParams): string[] {
  return [...new Set([...(p.onBehalfOf ?? []), ...(p.items ?? []).flatMap((i) => personIdsIn(i.params))])];
}

/**
 * A mail in the recipient's language with the link to the item; dates are Helsinki dates in their locale.
 * A substitute's mail says whom they stand in for (`names` gives the display names; an erased person
 * shows as their pseudonymous id).
 */
export function renderMail(kind: MessageKind, language: Language, p: MessageParams, publicUrl: string, names: PersonNames = new Map()): RenderedMail {
  if (kind === 'digest') return renderDigest(language, p, publicUrl, names);
  const t = texts.getFixedT(language);
  const words = workflowWords(t, p);
  const title = words.title();
  const body = words.body();
  const said = words.detail();
  const behalf = p.onBehalfOf ?? [];
  const lines = [
    ...(behalf.length ? [t('onBehalfOf', { count: behalf.length, names: behalf.map((id) => names.get(id) ?? id) }), ''] : []),
    t(`${KEY[kind]}.lead`, { title }),
    ...(kind === 'approval.opened' && body ? [t('decidingBody', { body })] : []),
    ...(p.dueAt ? [t('due', { dueAt: p.dueAt })] : []),
    // What the workflow said, in the reader's language where its facts are known; else its own (English)
    // words, labelled so.
    ...(said ? ['', said] : p.detail ? ['', t('processMessage'), p.detail] : []),
    '',
    t('open', { link: itemLink(publicUrl, p.workflowId) }),
  ];
  return { subject: t(`${KEY[kind]}.subject`, { title }), text: `${lines.join('\n')}\n` };
}

/** A day's digest: one subject, then each message's subject and text, in the order written. */
function renderDigest(language: Language, p: MessageParams, publicUrl: string, names: PersonNames): RenderedMail {
  const items = p.items ?? [];
  const sections = items.map((i) => {
    const one = renderMail(i.template, language, i.params, publicUrl, names);
    return `${one.subject}\n${one.text}`;
  });
  const subject = texts.getFixedT(language)('digest.subject', { day: p.day ?? '', count: items.length });
  return { subject, text: sections.join('\n---\n\n') };
}
