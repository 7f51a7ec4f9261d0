import type { AuditEventRow } from '../../../libs/db/repositories/audit.repository';
import { defaultPayloadConverter } from '@temporalio/common';
import { JSONToPayload, type JSONPayload } from '@temporalio/common/lib/proto-utils';
import type { Command } from 'commander';
import canonicalize from 'canonicalize';
import { writeFileSync } from 'node:fs';
import { table } from '../format';
import type { CliText } from '../i18n';
import { withoutPersonalData } from '../personal-redaction';
import { CliFailure, println, printJson, UsageError, type CliIo } from '../io';
import { isPlainObject } from '../options';
import { contextOf, wf, type GlobalOptions } from './context';

/** An audit event as an exported bundle holds it: GET /api/workflows/{id}/audit's row without the kept personal fields. */
export type AuditEvent = Omit<AuditEventRow, 'personal'>;

/** What `fuusio history <id> --out file.json` writes: the Temporal history and the workflow's audit trail. */
export type HistoryBundle = {
  workflowId: string;
  exportedAt: string;
  /** As `temporal workflow show --output json` writes it: `{ events: [...] }`. */
  history: unknown;
  audit: AuditEvent[];
};

/** One business milestone of the timeline, with the Temporal history events that prove it. */
export type Milestone = {
  occurredAt: string;
  actor: string;
  action: string;
  stage: string | null;
  status: string | null;
  /** e.g. `[{ eventId: '6', kind: 'scheduled' }, { eventId: '8', kind: 'completed' }]` */
  proof: { eventId: string; kind: 'started' | 'scheduled' | 'completed' }[];
};

/** The activity the workflows record their progress and audit events with (activities/tracking). */
const TRACK_ACTIVITY = 'track';

/** Keys whose values never go into an exported bundle (credentials, not business data). */
const SECRET_KEY = /^(authorization|proxy-authorization|cookie|set-cookie|x-api-key|api[-_]?key|api[-_]?token|access[-_]?token|refresh[-_]?token|bearer|token|password|secret)$/i;
const REDACTED = '[redacted]';

export function registerHistoryCommand(program: Command, io: CliIo): void {
  program
    .command('history')
    .description("a workflow's Temporal event history with its audit events: a timeline, or an export bundle with --out (auditor)")
    .argument('<workflowId>')
    .option('--out <file>', 'write the bundle { workflowId, exportedAt, history, audit } to this file')
    .option('--bundle <file>', 'write the audit bundle (fuusio-audit-bundle/1) to this file, to verify without Fuusio: `fuusio verify <file>`')
    .option('--without-histories', "with --bundle: leave the runs' histories out (they hold the workflow's inputs, personal data among them)")
    .addHelpText(
      'after',
      '\nWithout --out, prints one line per business milestone (time, actor, action, stage and status) with the ids of\n' +
        'the Temporal history events that prove it. --json prints the bundle instead.\n' +
        'With --bundle, a checkpoint is signed first (POST /api/audit/checkpoints) so that the bundle holds every event so far;\n' +
        'the file is RFC 8785 canonical JSON (docs/audit-bundle.md).',
    )
    .action(async (id: string, opts: { out?: string; bundle?: string; withoutHistories?: boolean }, cmd: Command) => {
      const ctx = contextOf(cmd, io);
      const api = ctx.api();
      if (opts.withoutHistories && !opts.bundle) throw new UsageError('--without-histories goes with --bundle');
      if (opts.bundle) {
        if (opts.out) throw new UsageError('give --out or --bundle, not both');
        await api.post<unknown>('/api/audit/checkpoints', {});
        const bundle = await api.get<{ events: unknown[]; runs: unknown[]; notCheckpointed: number }>(
          `${wf(id)}/bundle`, { histories: opts.withoutHistories ? 'leave-out' : 'include' },
        );
        writeOrFail(opts.bundle, `${canonicalize(bundle)}\n`);
        const summary = { workflowId: id, file: opts.bundle, auditEvents: bundle.events.length, runs: bundle.runs.length, notCheckpointed: bundle.notCheckpointed };
        if (ctx.json) return printJson(io, summary);
        println(io.stdout, `wrote the audit bundle of ${id} (${bundle.events.length} audit events, ${bundle.runs.length} runs) to ${opts.bundle}`);
        return;
      }
      const [history, audit] = await Promise.all([
        api.get<unknown>(`${wf(id)}/history`),
        api.get<{ items?: AuditEventRow[] }>(`${wf(id)}/audit`),
      ]);
      const token = cmd.optsWithGlobals<GlobalOptions>().token ?? io.env.FUUSIO_TOKEN;
      // An exported bundle carries no personal data: the audit events' kept personal fields stay behind
      // (their digests are in the chained payloads), and personal fields inside history payloads are removed.
      const bundle = redact(
        {
          workflowId: id,
          exportedAt: new Date().toISOString(),
          history: withoutPersonalData(history),
          audit: (audit?.items ?? []).map(({ personal: _personal, ...chained }) => chained),
        },
        token,
      ) as HistoryBundle;
      const events = historyEvents(bundle.history);

      if (opts.out) {
        writeOrFail(opts.out, `${JSON.stringify(bundle, null, 2)}\n`);
        const summary = { workflowId: id, file: opts.out, historyEvents: events.length, auditEvents: bundle.audit.length };
        if (ctx.json) return printJson(io, summary);
        println(io.stdout, ctx.t('history.wrote', { id, historyEvents: events.length, auditEvents: bundle.audit.length, file: opts.out }));
        return;
      }
      if (ctx.json) return printJson(io, bundle);
      for (const line of timelineLines(bundle, ctx.t)) println(io.stdout, line);
    });
}

function writeOrFail(file: string, text: string): void {
  try {
    writeFileSync(file, text);
  } catch (err) {
    throw new CliFailure([`error: cannot write ${file}: ${err instanceof Error ? err.message : String(err)}`]);
  }
}

/** The timeline as printed lines: a heading, then one row per audit event in chain order. */
export function timelineLines(bundle: HistoryBundle, t: CliText): string[] {
  const events = historyEvents(bundle.history);
  const milestones = timeline(bundle.history, bundle.audit);
  const out = [t('history.heading', { id: bundle.workflowId, auditEvents: milestones.length, historyEvents: events.length }), ''];
  if (milestones.length === 0) return [...out, t('history.none')];
  const rows = milestones.map((m) => [
    instant(m.occurredAt),
    m.actor,
    m.action,
    m.stage ?? '-',
    m.status ?? '-',
    m.proof.length ? m.proof.map((p) => `${p.kind} ${p.eventId}`).join(', ') : '-',
  ]);
  out.push(...table(['time', 'actor', 'action', 'stage', 'status', 'events'].map((k) => t(`history.col.${k}`)), rows));
  out.push('', t('history.proof', { activity: TRACK_ACTIVITY }));
  return out;
}

/**
 * Links each audit event to the history events that prove it: for an event the workflow's tracking
 * activity wrote (idempotency key `<workflowId>#<key>`), the ACTIVITY_TASK_SCHEDULED and COMPLETED
 * events of the `track` activity whose input `key` is that `<key>`; for the API's launch event
 * (`<workflowId>#launch#<runId>`), the WORKFLOW_EXECUTION_STARTED event of that run.
 */
export function timeline(history: unknown, audit: readonly AuditEvent[]): Milestone[] {
  const events = historyEvents(history);
  const scheduledByKey = new Map<string, string[]>();
  const completedBySchedule = new Map<string, string>();
  const startedByRun = new Map<string, string>();
  for (const e of events) {
    const id = stringOf(e.eventId);
    if (!id) continue;
    const scheduled = objectAt(e, 'activityTaskScheduledEventAttributes');
    if (scheduled && stringOf(objectAt(scheduled, 'activityType')?.name) === TRACK_ACTIVITY) {
      const key = trackKey(scheduled);
      if (key !== undefined) scheduledByKey.set(key, [...(scheduledByKey.get(key) ?? []), id]);
    }
    const completed = objectAt(e, 'activityTaskCompletedEventAttributes');
    const scheduledId = stringOf(completed?.scheduledEventId);
    if (scheduledId) completedBySchedule.set(scheduledId, id);
    const started = objectAt(e, 'workflowExecutionStartedEventAttributes');
    for (const run of [started?.originalExecutionRunId, started?.firstExecutionRunId]) {
      const runId = stringOf(run);
      if (runId && !startedByRun.has(runId)) startedByRun.set(runId, id);
    }
  }

  return audit.map((a) => {
    const suffix = keySuffix(a);
    const proof: Milestone['proof'] = [];
    for (const scheduledId of suffix === undefined ? [] : (scheduledByKey.get(suffix) ?? [])) {
      proof.push({ eventId: scheduledId, kind: 'scheduled' });
      const completedId = completedBySchedule.get(scheduledId);
      if (completedId) proof.push({ eventId: completedId, kind: 'completed' });
    }
    const launchRun = suffix?.startsWith('launch#') ? suffix.slice('launch#'.length) : undefined;
    const startedId = launchRun === undefined ? undefined : startedByRun.get(launchRun);
    if (proof.length === 0 && startedId) proof.push({ eventId: startedId, kind: 'started' });
    const run = isPlainObject(a.payload?.run) ? a.payload.run : undefined;
    return {
      occurredAt: a.occurredAt,
      actor: a.actor,
      action: a.action,
      stage: stringOf(run?.stage) ?? null,
      status: stringOf(run?.status) ?? null,
      proof,
    };
  });
}

/** The history's events, or none when it has no `events` array. */
export function historyEvents(history: unknown): Record<string, unknown>[] {
  if (!isPlainObject(history) || !Array.isArray(history.events)) return [];
  return history.events.filter(isPlainObject);
}

/** The tracking key of an audit event: the part of its idempotency key after `<workflowId>#`. */
function keySuffix(a: AuditEvent): string | undefined {
  const key = a.idempotencyKey;
  if (typeof key !== 'string') return undefined;
  if (a.workflowId && key.startsWith(`${a.workflowId}#`)) return key.slice(a.workflowId.length + 1);
  const hash = key.indexOf('#');
  return hash < 0 ? undefined : key.slice(hash + 1);
}

/** The `key` of a `track` activity's input (its first argument), decoded from the JSON payload. */
function trackKey(scheduled: Record<string, unknown>): string | undefined {
  const payloads = objectAt(scheduled, 'input')?.payloads;
  const first: unknown = Array.isArray(payloads) ? payloads[0] : undefined;
  if (!isPlainObject(first)) return undefined;
  try {
    const value = defaultPayloadConverter.fromPayload<unknown>(JSONToPayload(first as JSONPayload));
    return isPlainObject(value) ? stringOf(value.key) : undefined;
  } catch {
    return undefined; // not a JSON payload (e.g. encrypted): nothing to link
  }
}

/**
 * A deep copy without credentials: values under keys such as `authorization` or `token`, and any
 * string that contains the API token used for the export, become `[redacted]`.
 */
export function redact(value: unknown, token?: string): unknown {
  if (typeof value === 'string') return token && value.includes(token) ? REDACTED : value;
  if (Array.isArray(value)) return value.map((v) => redact(v, token));
  if (isPlainObject(value)) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, SECRET_KEY.test(k) ? REDACTED : redact(v, token)]));
  }
  return value;
}

function objectAt(o: Record<string, unknown> | undefined, key: string): Record<string, unknown> | undefined {
  const v = o?.[key];
  return isPlainObject(v) ? v : undefined;
}

function stringOf(v: unknown): string | undefined {
  if (typeof v === 'string') return v;
  if (typeof v === 'number') return String(v);
  return undefined;
}

/** An ISO time to the second in UTC (`2025-03-01 12:30:05Z`); other strings as they are. */
function instant(value: string): string {
  const d = new Date(value);
  if (!/^\d{4}-\d{2}-\d{2}T/.test(value) || Number.isNaN(d.getTime())) return value || '-';
  const iso = d.toISOString();
  return `${iso.slice(0, 10)} ${iso.slice(11, 19)}Z`;
}
