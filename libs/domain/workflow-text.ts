/**
 * The facts behind the English sentences workflows write into their progress (titles, step titles,
 * "waiting for" texts, approval bodies), so the dashboard and the mail can say them in the reader's
 * language. Structured keys (kind, step key, gate) decide what a text is; the names and numbers in it
 * are read from the workflow's own template. A text no rule recognises yields null and the caller shows
 * the workflow's words as they are (older runs, other kinds).
 */

export type TitleFacts =
  | { type: 'onboarding'; applicant: string; company: string }
  | { type: 'consolidation'; parties: { label: string; part: boolean }[]; receiving: string; effectiveDate: string };

export type StepFacts =
  | { type: 'reminder'; stage: string; before: string }
  | { type: 'feasibilityDone' }
  | { type: 'signed' }
  | { type: 'paid'; paidCents: number; dueCents: number }
  | { type: 'paymentRecorded'; amountCents: number }
  | { type: 'transfer'; party: string };

export type WaitingFacts =
  | { type: 'body'; body: BodyFacts }
  | { type: 'sign'; who: string }
  | { type: 'pay'; who: string; cents: number }
  | { type: 'feasibility'; who: string }
  | { type: 'effective'; date: string }
  | { type: 'partyBody'; party: string; body: string };

export type BodyFacts =
  | { type: 'board'; organisation: string }
  | { type: 'consent'; funder: string; project: string; receiving: string };

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
  return transfer?.[1] ? { type: 'transfer', party: transfer[1] } : null;
}

/** An approval's body: the board of the company (onboarding) or a funder's consent to a project's transfer (consolidation). */
export function bodyFacts(gate: string, body: string): BodyFacts | null {
  if (gate === 'board') {
    const m = /^Board of (.+)$/.exec(body);
    return m?.[1] ? { type: 'board', organisation: m[1] } : null;
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
  return null;
}

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
