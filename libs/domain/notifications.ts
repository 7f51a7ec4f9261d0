import { z } from 'zod';
import type { Lang } from '../i18n/languages';

/** What a message is about; each has its texts in the catalogues (libs/notify/i18n/*.json). */
export type MessageKind = 'approval.opened' | 'reminder' | 'escalation' | 'notice' | 'digest';
/** The kinds a workflow's step sends; a digest is made of them. */
export type StepMessageKind = Exclude<MessageKind, 'digest'>;
export type Channel = 'email' | 'webhook';
export type Language = Lang;

/** What a message's text is made from: written with the outbox row, so a later change of the run does not alter it. */
export type MessageParams = {
  title: string;
  /** The run's kind (onboarding, consolidation, …): which workflow wrote the title and texts. */
  kind?: string;
  workflowId: string;
  stepKey: string;
  gate?: string;
  party?: string;
  dueAt?: string | null;
  /** The workflow's own (English) subject and body, where it gave one: kept for the webhook and as a detail. */
  subject?: string;
  detail?: string;
  /**
   * For a substitute's copy only: the people whose role they stand in for today (person ids; the names are
   * read when the mail is sent, so an erased person's name is never kept in the outbox).
   */
  onBehalfOf?: string[];
  /** A digest's Helsinki day and the messages folded into it, in the order they were written. */
  day?: string;
  items?: { template: StepMessageKind; params: MessageParams }[];
};

/** How a person wants their e-mail: each message at once, or one digest per Helsinki day. */
export const NOTIFY_MODES = ['immediate', 'daily'] as const;
export type NotifyMode = (typeof NOTIFY_MODES)[number];
export const notifyPreferenceSchema = z.object({
  notify: z.enum(NOTIFY_MODES, { message: 'must be immediate or daily' }),
}).strict();
export const notifyPreferenceViewSchema = z.object({ personId: z.string(), notify: z.enum(NOTIFY_MODES) });

/** The one digest of a person's day: its outbox key, so making it twice writes nothing twice. */
export function digestKey(personId: string, day: string): string {
  return `digest:${personId}:${day}:email`;
}

/** Who must act on a task (a signature, a payment, a report) in the organisation it waits for. */
export const TASK_ROLES = ['signatory', 'contact', 'project-manager'];
/** Who hears of an overdue task: the managing director of the party, the funder's contact person. */
export const ESCALATION_ROLES = ['managing-director', 'funder-contact'];
/** Who receives a notice to an organisation (e.g. a new shareholder). */
export const NOTICE_ROLES = ['managing-director', 'contact', 'signatory'];

/** The kind of a workflow's notification, read from its step key (`….reminder.7 days`, `….escalated`). */
export function kindOfStep(stepKey: string): StepMessageKind {
  if (/\.reminder\./.test(stepKey)) return 'reminder';
  if (/\.escalated$/.test(stepKey)) return 'escalation';
  return 'notice';
}

/** The body key of an approval's gate: `board` → `board`, `decisions/verso-board` → `verso-board`. */
export function bodyOfGate(gate: string): string {
  return gate.split('/').pop() ?? gate;
}

/** One message per workflow step, recipient and channel: the key a retried activity cannot write twice. */
export function outboxKey(workflowId: string, stepKey: string, recipient: string, channel: Channel): string {
  return `${workflowId}:${stepKey}:${recipient}:${channel}`;
}

/** Delivery attempts before a message goes to the dead-letter list. */
export const MAX_ATTEMPTS = 5;

/** Exponential backoff after the n-th failed attempt (1-based): base, 2·base, 4·base, … capped at an hour. */
export function backoffMs(attempt: number, baseMs = 30_000): number {
  return Math.min(baseMs * 2 ** Math.max(0, attempt - 1), 3_600_000);
}

/** Loopback hosts, the only ones a webhook may reach over plain http (development). */
const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]', '::1']);

export const webhookInputSchema = z.object({
  organisation: z.string().regex(/^\d{7}-\d$/, 'a business ID such as 0196714-1'),
  url: z.string().max(2000).superRefine((value, ctx) => {
    let u: URL;
    try {
      u = new URL(value);
    } catch {
      ctx.addIssue({ code: 'custom', message: 'not a URL' });
      return;
    }
    if (u.protocol === 'https:') return;
    if (u.protocol === 'http:' && LOOPBACK.has(u.hostname)) return;
    ctx.addIssue({ code: 'custom', message: 'must be https (plain http only to a loopback address in development)' });
  }),
}).strict();
export type WebhookInput = z.infer<typeof webhookInputSchema>;

/** A webhook as listed: never its secret (that is shown once, when it is registered). */
export const webhookViewSchema = z.object({
  id: z.number().int(),
  organisation: z.string(),
  url: z.string(),
  createdBy: z.string(),
  createdAt: z.string(),
  active: z.boolean(),
  deactivatedAt: z.string().nullable(),
  deactivatedBy: z.string().nullable(),
});
export type WebhookView = z.infer<typeof webhookViewSchema>;
/** The answer to a registration: the webhook with its signing secret. */
export const createdWebhookSchema = webhookViewSchema.extend({ secret: z.string() });
