import type { CrosscheckReport } from '../../../libs/domain/audit-reports';
import { Inject, Injectable } from '@nestjs/common';
import type { History } from '@temporalio/common/lib/proto-utils';
import { defaultPayloadConverter, type Payload } from '@temporalio/common';
import { temporal } from '@temporalio/proto';
import type { Pool } from 'pg';
import { PG_POOL } from '../../../libs/db/db.module';
import { AuditRepository } from '../../../libs/db/repositories/audit.repository';
import type { TokenOwner } from '../../../libs/db/repositories/token.repository';
import { WorkflowsService } from '../workflows/workflows.service';
import { HistorySource } from './history-source';

const EventType = temporal.api.enums.v1.EventType;
const TRACK_ACTIVITY = 'track';


type Tracked = { auditKey: string; key: string; historyEventId: number };
type Long = { toNumber(): number };

function num(v: number | Long | null | undefined): number {
  if (v === null || v === undefined) return 0;
  return typeof v === 'number' ? v : v.toNumber();
}

/**
 * Point 6 of the audit issue: every tracking activity that completed in the Temporal history has its audit
 * event, and every tracking audit event of the workflow has the history event that produced it.
 */
@Injectable()
export class CrosscheckService {
  private readonly audit = new AuditRepository();

  constructor(
    @Inject(PG_POOL) private readonly pool: Pool,
    private readonly workflows: WorkflowsService,
    private readonly source: HistorySource,
  ) {}

  async crosscheck(workflowId: string, user: TokenOwner): Promise<CrosscheckReport> {
    await this.workflows.readable(workflowId, user);
    // Each run from Temporal, or from the archive once the retention has deleted it there.
    const histories = (await this.source.chain(workflowId)).map((r) => r.history);
    const completed: Tracked[] = [];
    const inFlight: Tracked[] = [];
    for (const history of histories) {
      const { done, pending } = trackedIn(history, workflowId);
      completed.push(...done);
      inFlight.push(...pending);
    }

    const prefix = `${workflowId}#`;
    const rows = (await this.audit.forWorkflow(this.pool, workflowId)).filter(
      (r) => r.idempotencyKey.startsWith(prefix) && !r.idempotencyKey.startsWith(`${prefix}launch#`),
    );
    const auditKeys = new Set(rows.map((r) => r.idempotencyKey));

    const historyKeys = new Map<string, Tracked>();
    for (const t of completed) if (!historyKeys.has(t.auditKey)) historyKeys.set(t.auditKey, t);
    const missingInAudit: CrosscheckReport['missingInAudit'] = [];
    for (const t of historyKeys.values()) {
      // A tracking write names its workflow in its input; one for another id is looked up under that id.
      const recorded = auditKeys.has(t.auditKey) || (!t.auditKey.startsWith(prefix) && (await this.audit.exists(this.pool, t.auditKey)));
      if (!recorded) missingInAudit.push({ key: t.key, historyEventId: t.historyEventId });
    }
    const pendingKeys = new Set(inFlight.map((t) => t.auditKey));
    const missingInHistory = rows
      .filter((r) => !historyKeys.has(r.idempotencyKey) && !pendingKeys.has(r.idempotencyKey))
      .map((r) => ({ seq: r.seq, key: r.idempotencyKey.slice(prefix.length) }));

    return {
      workflowId,
      ok: missingInAudit.length === 0 && missingInHistory.length === 0,
      trackedInHistory: historyKeys.size,
      auditEvents: rows.length,
      missingInAudit,
      missingInHistory,
      runs: histories.length,
      inFlight: inFlight.length,
    };
  }
}

/** The `track` activities of one history: those that completed, and those scheduled and not closed yet. */
function trackedIn(history: History, workflowId: string): { done: Tracked[]; pending: Tracked[] } {
  const scheduled = new Map<number, Tracked>();
  const completedIds = new Set<number>();
  const closedIds = new Set<number>();
  for (const event of history.events ?? []) {
    const id = num(event.eventId);
    switch (event.eventType) {
      case EventType.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED: {
        const attrs = event.activityTaskScheduledEventAttributes;
        if (attrs?.activityType?.name !== TRACK_ACTIVITY) break;
        scheduled.set(id, decodeTrack(attrs.input?.payloads?.[0], workflowId, id));
        break;
      }
      case EventType.EVENT_TYPE_ACTIVITY_TASK_COMPLETED:
        completedIds.add(num(event.activityTaskCompletedEventAttributes?.scheduledEventId));
        break;
      case EventType.EVENT_TYPE_ACTIVITY_TASK_FAILED:
        closedIds.add(num(event.activityTaskFailedEventAttributes?.scheduledEventId));
        break;
      case EventType.EVENT_TYPE_ACTIVITY_TASK_TIMED_OUT:
        closedIds.add(num(event.activityTaskTimedOutEventAttributes?.scheduledEventId));
        break;
      case EventType.EVENT_TYPE_ACTIVITY_TASK_CANCELED:
        closedIds.add(num(event.activityTaskCanceledEventAttributes?.scheduledEventId));
        break;
      default:
        break;
    }
  }
  const done: Tracked[] = [];
  const pending: Tracked[] = [];
  for (const [id, tracked] of scheduled) {
    if (completedIds.has(id)) done.push(tracked);
    else if (!closedIds.has(id)) pending.push(tracked);
  }
  return { done, pending };
}

/** The tracking request's key and workflow id, from the activity's first argument. */
function decodeTrack(payload: temporal.api.common.v1.IPayload | null | undefined, workflowId: string, eventId: number): Tracked {
  try {
    if (!payload) throw new Error('no input');
    const req = defaultPayloadConverter.fromPayload<{ key?: unknown; run?: { workflowId?: unknown } }>(payload as Payload);
    if (typeof req?.key !== 'string') throw new Error('no key');
    const owner = typeof req.run?.workflowId === 'string' ? req.run.workflowId : workflowId;
    return { auditKey: `${owner}#${req.key}`, key: req.key, historyEventId: eventId };
  } catch {
    // An input that cannot be read is reported as missing from the audit trail under a key of its own.
    const key = `(undecodable input of event ${eventId})`;
    return { auditKey: `${workflowId}#${key}`, key, historyEventId: eventId };
  }
}
