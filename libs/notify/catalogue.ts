import type { Language, MessageKind, MessageParams, StepMessageKind } from '../domain/notifications';

export type RenderedMail = { subject: string; text: string };

type Texts = { subject: (p: MessageParams) => string; lead: (p: MessageParams) => string };

const due = (p: MessageParams, word: string) => (p.dueAt ? `\n${word}: ${p.dueAt.slice(0, 10)}` : '');

// Kept short on purpose: one subject and one lead line per kind and language.
const CATALOGUE: Record<Language, Record<StepMessageKind, Texts> & { due: string; open: string; digest: (day: string, n: number) => string }> = {
  fi: {
    due: 'Määräaika', open: 'Avaa', digest: (day, n) => `Päivän kooste ${day}: ${n} ${n === 1 ? 'viesti' : 'viestiä'}`,
    'approval.opened': { subject: (p) => `Päätös odottaa: ${p.title}`, lead: (p) => `Sinulta odotetaan päätöstä (${p.gate ?? ''}) asiassa ${p.title}.` },
    reminder: { subject: (p) => `Muistutus: ${p.title}`, lead: (p) => `Muistutus: asia ${p.title} odottaa toimenpidettäsi.` },
    escalation: { subject: (p) => `Myöhässä: ${p.title}`, lead: (p) => `Asian ${p.title} määräaika on ylittynyt.` },
    notice: { subject: (p) => `Tiedoksi: ${p.title}`, lead: (p) => `Tiedoksi asiasta ${p.title}.` },
  },
  sv: {
    due: 'Tidsfrist', open: 'Öppna', digest: (day, n) => `Dagens sammandrag ${day}: ${n} ${n === 1 ? 'meddelande' : 'meddelanden'}`,
    'approval.opened': { subject: (p) => `Beslut väntar: ${p.title}`, lead: (p) => `Ett beslut (${p.gate ?? ''}) väntas av dig i ärendet ${p.title}.` },
    reminder: { subject: (p) => `Påminnelse: ${p.title}`, lead: (p) => `Påminnelse: ärendet ${p.title} väntar på din åtgärd.` },
    escalation: { subject: (p) => `Försenat: ${p.title}`, lead: (p) => `Tidsfristen i ärendet ${p.title} har gått ut.` },
    notice: { subject: (p) => `För kännedom: ${p.title}`, lead: (p) => `För kännedom om ärendet ${p.title}.` },
  },
  en: {
    due: 'Deadline', open: 'Open', digest: (day, n) => `Daily digest ${day}: ${n} ${n === 1 ? 'message' : 'messages'}`,
    'approval.opened': { subject: (p) => `Decision awaited: ${p.title}`, lead: (p) => `A decision (${p.gate ?? ''}) is awaited from you in ${p.title}.` },
    reminder: { subject: (p) => `Reminder: ${p.title}`, lead: (p) => `Reminder: ${p.title} is waiting for you to act.` },
    escalation: { subject: (p) => `Overdue: ${p.title}`, lead: (p) => `The deadline in ${p.title} has passed.` },
    notice: { subject: (p) => `For your information: ${p.title}`, lead: (p) => `For your information: ${p.title}.` },
  },
};

/** The dashboard page of a workflow. */
export function itemLink(publicUrl: string, workflowId: string): string {
  return `${publicUrl.replace(/\/+$/, '')}/#/w/${encodeURIComponent(workflowId)}`;
}

/** A mail in the recipient's language with the link to the item. */
export function renderMail(kind: MessageKind, language: Language, p: MessageParams, publicUrl: string): RenderedMail {
  const lang = CATALOGUE[language];
  if (kind === 'digest') return renderDigest(language, p, publicUrl);
  const texts = lang[kind];
  const detail = p.detail ? `\n\n${p.detail}` : '';
  return {
    subject: texts.subject(p),
    text: `${texts.lead(p)}${due(p, lang.due)}${detail}\n\n${lang.open}: ${itemLink(publicUrl, p.workflowId)}\n`,
  };
}

/** A day's digest: one subject, then each message's subject, lead, deadline and link, in the order written. */
function renderDigest(language: Language, p: MessageParams, publicUrl: string): RenderedMail {
  const items = p.items ?? [];
  const sections = items.map((i) => {
    const one = renderMail(i.template, language, i.params, publicUrl);
    return `${one.subject}\n${one.text}`;
  });
  return { subject: CATALOGUE[language].digest(p.day ?? '', items.length), text: sections.join('\n---\n\n') };
}
