/**
 * The facts behind the English sentences workflows write into their progress (titles, step titles,
 * "waiting for" texts, approval bodies), so the dashboard and the mail can say them in the reader's
 * language. Structured keys (kind, step key, gate) decide what a text is; the names and numbers in it
 * are read from the workflow's own template. A text no rule recognises yields null and the caller shows
 * the workflow's words as they are (older runs, other kinds).
 */

export type TitleFacts =
  | { type: 'onboarding'; applicant: string; company: string }
  | { type: 'project'; name: string; start: string; end: string }
  | { type: 'consolidation'; parties: { label: string; part: boolean }[]; receiving: string; effectiveDate: string };

export type StepFacts =
  | { type: 'reminder'; stage: string; before: string }
  | { type: 'feasibilityDone' }
  | { type: 'signed' }
  | { type: 'paid'; paidCents: number; dueCents: number }
  | { type: 'paymentRecorded'; amountCents: number }
  | { type: 'transfer'; party: string }
  | { type: 'partnersConfirmed' }
  | { type: 'applicationSubmitted' }
  | { type: 'reportSubmitted'; period: number }
  | { type: 'reportReminder'; period: number; before: string }
  | { type: 'reportEscalated'; period: number; dueOn: string; funder: string }
  | { type: 'period'; period: number; start: string; end: string }
  | { type: 'periodsEnded' }
  | { type: 'closingApproved'; document: string }
  | { type: 'indicator'; key: string; actual: number; target: number }
  | { type: 'published'; where: string };

export type WaitingFacts =
  | { type: 'body'; body: BodyFacts }
  | { type: 'sign'; who: string }
  | { type: 'pay'; who: string; cents: number }
  | { type: 'feasibility'; who: string }
  | { type: 'effective'; date: string }
  | { type: 'partyBody'; party: string; body: string }
  | { type: 'startDate'; date: string }
  | { type: 'confirmPartners'; who: string; partners: string }
  | { type: 'submitApplication'; who: string }
  | { type: 'report'; who: string; period: number; dueOn: string }
  | { type: 'approveDocument'; who: string; document: string }
  | { type: 'publish'; who: string };

export type BodyFacts =
  | { type: 'board'; organisation: string }
  | { type: 'consent'; funder: string; project: string; receiving: string }
  | { type: 'fundingDecision'; funder: string };

const ISO_DAY = String.raw`\d{4}-\d\d-\d\d`;

export function titleFacts(kind: string, title: string): TitleFacts | null {
  if (kind === 'onboarding') {
    const m = /^(.+) → shareholder of (.+)$/.exec(title);
    return m?.[1] && m[2] ? { type: 'onboarding', applicant: m[1], company: m[2] } : null;
  }
  if (kind === 'consolidation') {
    const m = new RegExp(`^(.+) → (.+) from (${ISO_DAY})$`).exec(title);
    if (!m?.[1] || !m[2] || !m[3]) return null;
    const parties = m[1].split(' + ').map((p) => (p.endsWith(' (part)') ? { label: p.slice(0, -' (part)'.length), part: true } : { label: p, part: false }));
    return { type: 'consolidation', parties, receiving: m[2], effectiveDate: m[3] };
  }
  if (kind === 'project') {
    const m = new RegExp(`^(.+), (${ISO_DAY}) – (${ISO_DAY})$`).exec(title);
    return m?.[1] && m[2] && m[3] ? { type: 'project', name: m[1], start: m[2], end: m[3] } : null;
  }
  return null;
}

/** A step's facts from its key (`board.reminder.28 s`, `event.…`, `payment.…`, `transfer.…`) and, for amounts and names, its title. */
export function stepFacts(key: string, title: string): StepFacts | null {
  const reminder = /^([a-z]+)\.reminder\.(.+)$/.exec(key);
  if (reminder?.[1] && reminder[2]) return { type: 'reminder', stage: reminder[1], before: reminder[2] };
  if (key === 'feasibility.study') return { type: 'feasibilityDone' };
  if (key.startsWith('event.') || key.startsWith('payment.')) {
    if (title === 'Subscription signed') return { type: 'signed' };
    const paid = /^Payment received \((\d+) of (\d+) cents\)$/.exec(title);
    if (paid) return { type: 'paid', paidCents: Number(paid[1]), dueCents: Number(paid[2]) };
    const recorded = /^Payment of (\d+) cents recorded; another person must confirm it$/.exec(title);
    if (recorded) return { type: 'paymentRecorded', amountCents: Number(recorded[1]) };
    return null;
  }
  const transfer = /^transfer\./.test(key) ? /^(.+): transfer of undertaking$/.exec(title) : null;
  if (transfer?.[1]) return { type: 'transfer', party: transfer[1] };
  return projectStepFacts(key, title);
}

/** The project lifecycle's steps: events recorded, periods, report reminders and escalations. */
function projectStepFacts(key: string, title: string): StepFacts | null {
  if (key === 'partners.confirmed') return { type: 'partnersConfirmed' };
  if (key === 'application.submitted') return { type: 'applicationSubmitted' };
  if (key === 'period.end' && title === 'All periods ended') return { type: 'periodsEnded' };
  const report = /^report\.(\d+)$/.exec(key);
  if (report) return { type: 'reportSubmitted', period: Number(report[1]) };
  const reminder = /^report\.(\d+)\.reminder\.(.+)$/.exec(key);
  if (reminder?.[2]) return { type: 'reportReminder', period: Number(reminder[1]), before: reminder[2] };
  const escalated = /^report\.\d+\.escalated$/.test(key) ? new RegExp(`^Report for period (\\d+) overdue since (${ISO_DAY}): escalated to (.+)$`).exec(title) : null;
  if (escalated?.[2] && escalated[3]) return { type: 'reportEscalated', period: Number(escalated[1]), dueOn: escalated[2], funder: escalated[3] };
  const period = /^period\.\d+$/.test(key) ? new RegExp(`^Period (\\d+): (${ISO_DAY}) – (${ISO_DAY})$`).exec(title) : null;
  if (period?.[2] && period[3]) return { type: 'period', period: Number(period[1]), start: period[2], end: period[3] };
  const closing = /^closing\.(final-report|monitoring-form|final-payment)$/.exec(key);
  if (closing?.[1]) return { type: 'closingApproved', document: closing[1] };
  const indicator = /^indicator\./.test(key) ? /^Indicator (.+): (\d+(?:\.\d+)?) of (\d+(?:\.\d+)?)$/.exec(title) : null;
  if (indicator?.[1]) return { type: 'indicator', key: indicator[1], actual: Number(indicator[2]), target: Number(indicator[3]) };
  const published = key === 'rooting.published' ? /^Results published in (.+)$/.exec(title) : null;
  return published?.[1] ? { type: 'published', where: published[1] } : null;
}

/** An approval's body: the board of the company (onboarding) or a funder's consent to a project's transfer (consolidation). */
export function bodyFacts(gate: string, body: string): BodyFacts | null {
  if (gate === 'board') {
    const m = /^Board of (.+)$/.exec(body);
    return m?.[1] ? { type: 'board', organisation: m[1] } : null;
  }
  if (gate === 'funding') {
    const m = /^Funding decision by (.+)$/.exec(body);
    return m?.[1] ? { type: 'fundingDecision', funder: m[1] } : null;
  }
  if (gate.startsWith('consent/')) {
    const m = /^(.+): consent to transfer (\S+) to (.+)$/.exec(body);
    return m?.[1] && m[2] && m[3] ? { type: 'consent', funder: m[1], project: m[2], receiving: m[3] } : null;
  }
  return null;
}

/** A "waiting for" text of a run in `stage` (each stage writes its own kind of text). */
export function waitingFacts(kind: string, stage: string, text: string): WaitingFacts | null {
  if (kind === 'onboarding') {
    if (stage === 'board') {
      const body = bodyFacts('board', text);
      return body ? { type: 'body', body } : null;
    }
    const sign = stage === 'subscription' ? /^(.+): sign the subscription$/.exec(text) : null;
    if (sign?.[1]) return { type: 'sign', who: sign[1] };
    const pay = stage === 'payment' ? /^(.+): pay (\d+) cents$/.exec(text) : null;
    return pay?.[1] ? { type: 'pay', who: pay[1], cents: Number(pay[2]) } : null;
  }
  if (kind === 'consolidation') {
    if (stage === 'feasibility') {
      const m = /^(.+): feasibility study$/.exec(text);
      return m?.[1] ? { type: 'feasibility', who: m[1] } : null;
    }
    if (stage === 'effective') {
      const m = new RegExp(`^effective date (${ISO_DAY})$`).exec(text);
      return m?.[1] ? { type: 'effective', date: m[1] } : null;
    }
    if (stage === 'transfers') {
      const body = bodyFacts('consent/', text);
      return body ? { type: 'body', body } : null;
    }
    if (stage === 'decisions') {
      const m = /^(.+?): (.+)$/.exec(text);
      return m?.[1] && m[2] ? { type: 'partyBody', party: m[1], body: m[2] } : null;
    }
  }
  if (kind === 'project') return projectWaitingFacts(stage, text);
  return null;
}

function projectWaitingFacts(stage: string, text: string): WaitingFacts | null {
  if (stage === 'decision') {
    const body = bodyFacts('funding', text);
    return body ? { type: 'body', body } : null;
  }
  const start = new RegExp(`^start date (${ISO_DAY})$`).exec(text);
  if (start?.[1]) return { type: 'startDate', date: start[1] };
  const partners = /^(.+?): confirm the partners \((.+)\)$/.exec(text);
  if (partners?.[1] && partners[2]) return { type: 'confirmPartners', who: partners[1], partners: partners[2] };
  const application = /^(.+): submit the funding application$/.exec(text);
  if (application?.[1]) return { type: 'submitApplication', who: application[1] };
  const report = new RegExp(`^(.+): report for period (\\d+) \\(due (${ISO_DAY})\\)$`).exec(text);
  if (report?.[1] && report[3]) return { type: 'report', who: report[1], period: Number(report[2]), dueOn: report[3] };
  const approve = /^(.+): approve the (final report|final monitoring form|final payment application)$/.exec(text);
  if (approve?.[1] && approve[2]) return { type: 'approveDocument', who: approve[1], document: DOCUMENT_KEYS[approve[2]] ?? approve[2] };
  const publish = /^(.+): publish the results and practice descriptions$/.exec(text);
  return publish?.[1] ? { type: 'publish', who: publish[1] } : null;
}

/** The closing documents as the workflow names them in English, by their keys. */
const DOCUMENT_KEYS: Record<string, string> = {
  'final report': 'final-report', 'final monitoring form': 'monitoring-form', 'final payment application': 'final-payment',
};

/** A duration as workflows write it (`28 s`, `7 days`, `2 h`): its count and unit, for a catalogue's plural forms. */
export function durationFacts(text: string): { count: number; unit: 'second' | 'minute' | 'hour' | 'day' } | null {
  const m = /^\s*(\d+)\s*([a-z]+)\s*$/i.exec(text);
  if (!m?.[2]) return null;
  const unit = UNITS[m[2].toLowerCase()];
  return unit ? { count: Number(m[1]), unit } : null;
}

const UNITS: Record<string, 'second' | 'minute' | 'hour' | 'day'> = {
  s: 'second', sec: 'second', second: 'second', seconds: 'second',
  m: 'minute', min: 'minute', minute: 'minute', minutes: 'minute',
  h: 'hour', hour: 'hour', hours: 'hour',
  d: 'day', day: 'day', days: 'day',
};

export type NoticeFacts = { type: 'newShareholder'; applicant: string; first: number; last: number; company: string };

/** The onboarding's notice to the shareholders (step `notified`): who joined and which shares they hold. */
export function noticeFacts(stepKey: string, body: string): NoticeFacts | null {
  if (stepKey !== 'notified') return null;
  const m = /^(.+) holds shares (\d+)–(\d+) of (.+)\.$/.exec(body);
  return m?.[1] && m[4] ? { type: 'newShareholder', applicant: m[1], first: Number(m[2]), last: Number(m[3]), company: m[4] } : null;
}

/** The gate of an approval mail's step key (`approval.<gate>.<party>`). */
export function gateOfApprovalStep(stepKey: string, party: string | undefined): string | null {
  const suffix = `.${party ?? ''}`;
  return party && stepKey.startsWith('approval.') && stepKey.endsWith(suffix) ? stepKey.slice('approval.'.length, -suffix.length) : null;
}
