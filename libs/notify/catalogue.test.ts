import { catalogueProblems, flatten } from '../i18n/catalogue-check';
import { renderMail } from './catalogue';
import en from './i18n/en.json';
import fi from './i18n/fi.json';
import sv from './i18n/sv.json';

const base = { title: 'Osakkaaksi liittyminen: Porvoo', workflowId: 'onboarding:1:2', stepKey: 'approval.board', gate: 'Socomin hallitus' };

describe('mail catalogues', () => {
  test('fi, sv and en have the same keys, no empty text and the same variables', () => {
    expect(flatten(en).size).toBeGreaterThan(10);
    expect(catalogueProblems({ fi, sv, en }, 'en')).toEqual([]);
  });

  test('the check names a missing key, an empty text and a variable that differs', () => {
    const broken = { ...sv, open: '', due: 'Tidsfrist: {{day}}', reminder: { subject: sv.reminder.subject } };
    expect(catalogueProblems({ fi, sv: broken, en }, 'en')).toEqual([
      'sv: reminder.lead is missing',
      'sv: due uses {{day}} where en uses {{dueAt}}',
      'sv: open is empty',
    ]);
  });
});

describe('mail texts', () => {
  test('a deadline is the Helsinki date in the reader\'s locale (23:30 UTC on 31 January is 1 February in Helsinki)', () => {
    const p = { ...base, dueAt: '2026-01-31T22:30:00.000Z' };
    expect(renderMail('approval.opened', 'sv', p, 'http://h/').text).toContain('Tidsfrist: 1 februari 2026');
    expect(renderMail('approval.opened', 'fi', p, 'http://h/').text).toContain('Määräaika: 1. helmikuuta 2026');
    expect(renderMail('approval.opened', 'en', p, 'http://h/').text).toContain('Deadline: 1 February 2026');
  });

  test('a member\'s mail: subject, lead, deciding body and the link, with nothing about substitutes', () => {
    const mail = renderMail('approval.opened', 'sv', base, 'http://h/');
    expect(mail.subject).toBe('Beslut väntar: Osakkaaksi liittyminen: Porvoo');
    expect(mail.text).toBe([
      'Ett beslut väntas av dig i ärendet Osakkaaksi liittyminen: Porvoo.',
      'Beslutande organ: Socomin hallitus',
      '',
      'Öppna ärendet: http://h/#/w/onboarding%3A1%3A2',
      '',
    ].join('\n'));
  });

  test('a substitute\'s mail says whom they stand in for, by name (an erased person by id)', () => {
    const names = new Map<string, string | null>([['p-1', 'Maija Virtanen'], ['p-2', 'Anders Holm'], ['p-3', null]]);
    const one = { ...base, onBehalfOf: ['p-1'] };
    expect(renderMail('reminder', 'fi', one, 'http://h', names).text).toMatch(/^Saat tämän viestin henkilön Maija Virtanen sijaisena\.\n/);
    expect(renderMail('reminder', 'sv', one, 'http://h', names).text).toMatch(/^Du får detta meddelande som ersättare för Maija Virtanen\.\n/);
    expect(renderMail('reminder', 'en', one, 'http://h', names).text).toMatch(/^You receive this message as a substitute, on behalf of Maija Virtanen\.\n/);
    const two = { ...base, onBehalfOf: ['p-1', 'p-3'] };
    expect(renderMail('approval.opened', 'fi', two, 'http://h', names).text).toMatch(/^Saat tämän viestin henkilöiden Maija Virtanen ja p-3 sijaisena\./);
    expect(renderMail('approval.opened', 'sv', { ...base, onBehalfOf: ['p-1', 'p-2'] }, 'http://h', names).text)
      .toMatch(/^Du får detta meddelande som ersättare för Maija Virtanen och Anders Holm\./);
  });

  test('a digest: its Helsinki day in the reader\'s locale, the count in words, and each message in turn', () => {
    const items = [{ template: 'approval.opened' as const, params: base }, { template: 'reminder' as const, params: { ...base, onBehalfOf: ['p-1'] } }];
    const digest = { title: '2026-03-29', workflowId: 'digest', stepKey: 'digest.2026-03-29', day: '2026-03-29', items };
    const names = new Map([['p-1', 'Maija Virtanen']]);
    const fiMail = renderMail('digest', 'fi', digest, 'http://h', names);
    expect(fiMail.subject).toBe('Päivän kooste 29. maaliskuuta 2026: 2 viestiä');
    expect(fiMail.text).toContain('Päätös odottaa: Osakkaaksi liittyminen: Porvoo');
    expect(fiMail.text).toContain('Muistutus: Osakkaaksi liittyminen: Porvoo\nSaat tämän viestin henkilön Maija Virtanen sijaisena.');
    expect(renderMail('digest', 'sv', { ...digest, items: items.slice(0, 1) }, 'http://h').subject).toBe('Dagens sammandrag 29 mars 2026: 1 meddelande');
    expect(renderMail('digest', 'en', digest, 'http://h').subject).toBe('Daily digest 29 March 2026: 2 messages');
  });

  test('the workflow\'s own (English) words come labelled after the lead', () => {
    const mail = renderMail('escalation', 'fi', { ...base, detail: 'Report 2 is overdue.' }, 'http://h');
    expect(mail.subject).toBe('Määräaika ylittynyt: Osakkaaksi liittyminen: Porvoo');
    expect(mail.text).toContain('\n\nProsessin viesti (englanniksi):\nReport 2 is overdue.\n\nAvaa asia: http://h/#/w/');
  });
});

describe('the workflow\'s words in the reader\'s language', () => {
  const onboarding = {
    title: 'Kotkan Järjestöverkosto ry → shareholder of 9100060-3', kind: 'onboarding', workflowId: 'onboarding:9100060-3:2000001-1',
  };

  test('a reminder: the run\'s title and what is due, from its step key, with nothing left in English', () => {
    const p = { ...onboarding, stepKey: 'board.reminder.28 s', subject: 'Reminder: board is due in 28 s', detail: '9100060-3 is waiting for the board of Kotkan Järjestöverkosto ry.' };
    const sv = renderMail('reminder', 'sv', p, 'http://h');
    expect(sv.subject).toBe('Påminnelse: Kotkan Järjestöverkosto ry → delägare i 9100060-3');
    expect(sv.text).toContain('\n\nStyrelsens beslut: tidsfristen går ut om 28 sekunder.\n');
    expect(sv.text).not.toMatch(/på engelska|is waiting|shareholder of/);
    const fi = renderMail('reminder', 'fi', { ...p, stepKey: 'payment.reminder.1 day' }, 'http://h');
    expect(fi.subject).toBe('Muistutus: Kotkan Järjestöverkosto ry → osakkaaksi yhtiöön 9100060-3');
    expect(fi.text).toContain('Maksu: määräaikaa on jäljellä 1 päivä.');
    expect(renderMail('reminder', 'en', p, 'http://h').text).toContain('The board\'s decision: the deadline is in 28 seconds.');
  });

  test('the new shareholder notice and a consolidation\'s title', () => {
    const notice = { ...onboarding, stepKey: 'notified', subject: 'New shareholder: Kotkan Järjestöverkosto ry', detail: 'Kotkan Järjestöverkosto ry holds shares 101–110 of Kotkan Satama Oy.' };
    expect(renderMail('notice', 'fi', notice, 'http://h').text).toContain('\n\nKotkan Järjestöverkosto ry omistaa yhtiön Kotkan Satama Oy osakkeet 101–110.\n');
    const consolidation = { title: 'Socca + Sosiaalitaito + Verso (part) → Socca from 2028-01-01', kind: 'consolidation', workflowId: 'consolidation:socca', stepKey: 'decisions.reminder.1 day' };
    const sv = renderMail('reminder', 'sv', consolidation, 'http://h');
    expect(sv.subject).toBe('Påminnelse: Socca + Sosiaalitaito + Verso (del) → Socca från 1 januari 2028');
    expect(sv.text).toContain('Parternas beslut: tidsfristen går ut om 1 dag.');
  });

  test('the deciding body of an onboarding\'s board approval', () => {
    const p = { ...onboarding, stepKey: 'approval.board.9100060-3', gate: 'Board of Kotkan Satama Oy', party: '9100060-3' };
    expect(renderMail('approval.opened', 'sv', p, 'http://h').text).toContain('Beslutande organ: Styrelsen för Kotkan Satama Oy');
    expect(renderMail('approval.opened', 'fi', p, 'http://h').text).toContain('Päättävä toimielin: Yhtiön Kotkan Satama Oy hallitus');
  });

  test('a project\'s report reminder: its title\'s dates in the reader\'s locale and the period due', () => {
    const p = { title: 'Kestävä kasvu (S20220), 2026-01-01 – 2027-12-31', kind: 'project', workflowId: 'project:S20220:2026-01-01', stepKey: 'report.2.reminder.7 days', detail: 'The report (payment application) for 2026-07-01 – 2026-12-31 is due on 2027-03-01.' };
    const sv = renderMail('reminder', 'sv', p, 'http://h');
    expect(sv.subject).toBe('Påminnelse: Kestävä kasvu (S20220), 1 januari 2026 – 31 december 2027');
    expect(sv.text).toContain('\n\nRapporten för period 2 ska lämnas in inom 7 dagar.\n');
    expect(sv.text).not.toContain('på engelska');
  });
});
