import { describe, expect, it } from '@jest/globals';
import { createTranslator } from '../../../libs/i18n/translator';
import { withWorkflowText } from '../../../libs/i18n/workflow-text';
import type { ConsolidationAnswer, InboxItem } from './api';
import { formatters } from './format';
import en from './i18n/en.json';
import fi from './i18n/fi.json';
import sv from './i18n/sv.json';
import { workflowText } from './workflowText';

const texts = createTranslator(withWorkflowText({ fi, sv, en }, 'workflowText'));
const inLang = (lang: 'fi' | 'sv' | 'en', consolidation: ConsolidationAnswer | null = null) =>
  workflowText(texts.getFixedT(lang), formatters(lang), lang, consolidation);

const onboarding = { kind: 'onboarding', title: 'Kotkan Järjestöverkosto ry → shareholder of 9100060-3' };
const consolidation = { kind: 'consolidation', title: 'Socca + Sosiaalitaito + Verso (part) → Socca from 2028-01-01' };

/** The registry's names of Sosiaalitaito's board, as the consolidation view carries them. */
const view = {
  parties: [{
    businessId: '2345678-9', label: 'Sosiaalitaito',
    chain: [{ key: 'board', body: 'Sosiaalitaito board', names: { fi: 'Sosiaalitaidon hallitus', sv: 'Sosiaalitaitos styrelse', en: 'Board of Sosiaalitaito' } }],
  }],
} as unknown as ConsolidationAnswer;

describe('workflow titles', () => {
  it('an onboarding and a consolidation read in Finnish, Swedish and English', () => {
    expect([inLang('fi').title(onboarding), inLang('sv').title(onboarding), inLang('en').title(onboarding)]).toEqual([
      'Kotkan Järjestöverkosto ry → osakkaaksi yhtiöön 9100060-3',
      'Kotkan Järjestöverkosto ry → delägare i 9100060-3',
      'Kotkan Järjestöverkosto ry → shareholder of 9100060-3',
    ]);
    expect(inLang('fi').title(consolidation)).toBe('Socca + Sosiaalitaito + Verso (osa) → Socca 1.1.2028 alkaen');
    expect(inLang('sv').title(consolidation)).toBe('Socca + Sosiaalitaito + Verso (del) → Socca från 1.1.2028');
    expect(inLang('en').title(consolidation)).toBe('Socca + Sosiaalitaito + Verso (part) → Socca from 01/01/2028');
  });

  it('a title no rule knows stays as the workflow wrote it', () => {
    expect(inLang('sv').title({ kind: 'project', title: 'EURA S30123: Kestävä kasvu' })).toBe('EURA S30123: Kestävä kasvu');
    expect(inLang('sv').title({ kind: 'onboarding', title: 'something else' })).toBe('something else');
  });
});

describe('step titles', () => {
  it('a reminder is read from its key, its lead time in the reader\'s words', () => {
    const step = { key: 'board.reminder.28 s', title: 'Reminder sent 28 s before the deadline' };
    expect(inLang('fi').step(step)).toBe('Muistutus lähetetty 28 sekuntia ennen määräaikaa');
    expect(inLang('sv').step(step)).toBe('Påminnelse skickad 28 sekunder före tidsfristen');
    expect(inLang('en').step({ key: 'payment.reminder.1 day', title: '' })).toBe('Reminder sent 1 day before the deadline');
  });

  it('payments, the signature, the feasibility study and a transfer', () => {
    const sv = inLang('sv');
    expect(sv.step({ key: 'event.sign-1', title: 'Subscription signed' })).toBe('Teckningen undertecknad');
    expect(sv.step({ key: 'event.pay-1', title: 'Payment received (1000 of 1000 cents)' })).toMatch(/^Betalning mottagen \(10\s€ av 10\s€\)$/);
    expect(sv.step({ key: 'payment.pay-1', title: 'Payment of 500 cents recorded; another person must confirm it' })).toMatch(/^Betalning på 5\s€ registrerad/);
    expect(sv.step({ key: 'feasibility.study', title: 'Feasibility study completed' })).toBe('Förstudien slutförd');
    expect(inLang('fi').step({ key: 'feasibility.study', title: 'Feasibility study completed' })).toBe('Esiselvitys valmis');
    expect(sv.step({ key: 'transfer.2345678-9', title: 'Sosiaalitaito: transfer of undertaking' })).toBe('Sosiaalitaito: överlåtelse av rörelse');
  });

  it('an unknown step (an integration task the launch named) keeps its words', () => {
    expect(inLang('sv').step({ key: 'integration.it', title: 'Merge the IT systems' })).toBe('Merge the IT systems');
  });
});

describe('waiting for and approval bodies', () => {
  it('an onboarding waits for the board, the signature and the payment', () => {
    const fi = inLang('fi');
    const sv = inLang('sv');
    expect(sv.waiting({ kind: 'onboarding', stage: 'board' }, 'Board of Kotkan Satama Oy')).toBe('Styrelsen för Kotkan Satama Oy');
    expect(fi.waiting({ kind: 'onboarding', stage: 'subscription' }, 'Kotkan Järjestöverkosto ry: sign the subscription')).toBe('Kotkan Järjestöverkosto ry: merkinnän allekirjoitus');
    expect(sv.waiting({ kind: 'onboarding', stage: 'payment' }, 'Kotkan Järjestöverkosto ry: pay 1000 cents')).toMatch(/^Kotkan Järjestöverkosto ry: betala 10\s€$/);
    expect(sv.body({ gate: 'board', party: '9100060-3', body: 'Board of Kotkan Satama Oy' })).toBe('Styrelsen för Kotkan Satama Oy');
  });

  it('a consolidation names a party\'s body as the registry does, in the reader\'s language', () => {
    const run = { kind: 'consolidation', stage: 'decisions' };
    expect(inLang('sv', view).waiting(run, 'Sosiaalitaito: Sosiaalitaito board')).toBe('Sosiaalitaito: Sosiaalitaitos styrelse');
    expect(inLang('fi', view).waiting(run, 'Sosiaalitaito: Sosiaalitaito board')).toBe('Sosiaalitaito: Sosiaalitaidon hallitus');
    expect(inLang('sv', view).body({ gate: 'decisions/board', party: '2345678-9', body: 'Sosiaalitaito board' })).toBe('Sosiaalitaitos styrelse');
    // Without the view (not loaded yet) or for a body the registry does not know, the launch's words stand.
    expect(inLang('sv').waiting(run, 'Sosiaalitaito: Sosiaalitaito board')).toBe('Sosiaalitaito: Sosiaalitaito board');
    expect(inLang('sv', view).body({ gate: 'decisions/council', party: '2345678-9', body: 'Joint municipal authority council' })).toBe('Joint municipal authority council');
    expect(inLang('sv').waiting({ kind: 'consolidation', stage: 'feasibility' }, 'Socca: feasibility study')).toBe('Socca: förstudie');
    expect(inLang('fi').waiting({ kind: 'consolidation', stage: 'effective' }, 'effective date 2028-01-01')).toBe('voimaantulopäivä 1.1.2028');
    expect(inLang('sv').body({ gate: 'consent/S30123', party: '0245872-8', body: 'Pohjois-Savon liitto: consent to transfer S30123 to Socca' }))
      .toBe('Pohjois-Savon liitto: samtycke till att S30123 överförs till Socca');
  });
});

describe('a project\'s texts', () => {
  const run = { kind: 'project', stage: 'implementation' };

  it('its title with the dates in the reader\'s order, its periods, reminders and escalations', () => {
    expect(inLang('fi').title({ kind: 'project', title: 'Kestävä kasvu (S20220), 2026-01-01 – 2027-12-31' })).toBe('Kestävä kasvu (S20220), 1.1.2026 – 31.12.2027');
    const sv = inLang('sv');
    expect(sv.step({ key: 'period.2', title: 'Period 2: 2026-07-01 – 2026-12-31' })).toBe('Period 2: 1.7.2026 – 31.12.2026');
    expect(sv.step({ key: 'report.2.reminder.7 days', title: 'Reminder sent 7 days before the report for period 2 is due' }))
      .toBe('Påminnelse skickad 7 dagar före tidsfristen för rapporten för period 2');
    expect(inLang('fi').step({ key: 'report.2.escalated', title: 'Report for period 2 overdue since 2027-03-01: escalated to 0201256-6' }))
      .toBe('Kauden 2 raportti myöhässä 1.3.2027 alkaen: ilmoitettu rahoittajalle 0201256-6');
    expect(sv.step({ key: 'closing.final-report', title: 'Final report approved' })).toBe('Slutrapporten godkänd');
    expect(sv.step({ key: 'change.1', title: 'End moved to 2028-06-30' })).toBe('End moved to 2028-06-30');
  });

  it('what it waits for, and the funder\'s decision', () => {
    const fi = inLang('fi');
    expect(fi.waiting(run, 'start date 2026-09-01')).toBe('aloituspäivä 1.9.2026');
    expect(fi.waiting(run, 'Socom: report for period 2 (due 2027-03-01)')).toBe('Socom: kauden 2 raportti (määräaika 1.3.2027)');
    expect(inLang('sv').waiting({ kind: 'project', stage: 'closing' }, 'ELY: approve the final monitoring form')).toBe('ELY: godkänna: Slutuppföljningsblanketten');
    expect(inLang('sv').waiting({ kind: 'project', stage: 'application' }, 'Socom: submit the funding application')).toBe('Socom: lämna in finansieringsansökan');
    expect(inLang('sv').body({ gate: 'funding', party: '0201256-6', body: 'Funding decision by 0201256-6' })).toBe('Finansieringsbeslut av 0201256-6');
  });
});

describe('what a task in "My tasks" asks', () => {
  const base = { workflowId: 'w', kind: 'onboarding', title: '', stage: 'board', organisation: '9100060-3', onBehalfOf: null, dueAt: null, overdue: false };
  it('a decision names its body, an expected event and a pending step say what to do', () => {
    const decision = { ...base, key: 'approval:board:9100060-3', type: 'decision', what: 'Decide for Board of Socom Oy', gate: 'board', party: '9100060-3', body: 'Board of Socom Oy', event: null };
    expect(inLang('sv').task(decision as InboxItem)).toBe('Besluta för Styrelsen för Socom Oy');
    const event = { ...base, key: 'event:subscription.signed', type: 'event', what: 'Sign the share subscription', gate: null, party: null, body: null, event: 'subscription.signed' };
    expect(inLang('fi').task(event as InboxItem)).toBe('Allekirjoita osakemerkintä');
    expect(inLang('fi').task({ ...event, event: 'something.else', what: 'Do it' } as InboxItem)).toBe('Do it');
    const task = { ...base, key: 'task:payment.pay-1:for:p-2', type: 'task', what: 'Payment of 1000 cents recorded; another person must confirm it', gate: null, party: null, body: null, event: 'payment.confirmed' };
    expect(inLang('sv').task(task as InboxItem)).toMatch(/^Betalning på 10\s€ registrerad; en annan person måste bekräfta den$/);
  });
});

