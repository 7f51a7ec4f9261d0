import { z } from 'zod';
import { HEALTH_LEVELS } from '../../../libs/domain/health';

/**
 * The shapes of the workflow reads, for the OpenAPI document (the types in libs/domain/run-views are
 * what the code writes; the fuzz run checks every answer against these).
 */
const stageStatus = z.enum(['pending', 'running', 'done', 'failed', 'skipped']);
const instant = z.string().describe('ISO 8601 time');

const runListItem = z.object({
  workflowId: z.string(),
  kind: z.string(),
  title: z.string(),
  status: z.string(),
  stage: z.string(),
  percent: z.number(),
  startedAt: instant,
  updatedAt: instant,
  nextDeadline: instant.nullable(),
  waitingFor: z.array(z.string()),
  imported: z.literal(true).optional().describe('a process recorded from before Fuusio, not run by it'),
  health: z.object({
    level: z.enum(HEALTH_LEVELS),
    reason: z.enum(['failed', 'overdue', 'due_soon', 'on_track', 'closed']),
    deadline: instant.nullable().describe('the deadline behind overdue or due_soon'),
  }).describe('red, amber or green from facts, judged now'),
});

const approval = z.object({
  gate: z.string(),
  party: z.string(),
  body: z.string(),
  status: z.enum(['pending', 'approved', 'rejected', 'expired', 'withdrawn']),
  dueAt: instant.nullable(),
  decidedAt: instant.nullable().optional(),
  decidedBy: z.string().nullable().optional(),
  comment: z.string().nullable().optional(),
  reference: z.string().nullable().optional(),
});

export const runListAnswer = z.object({
  items: z.array(runListItem),
  nextCursor: z.string().nullable().describe('pass as cursor for the next page; null on the last page'),
});

export const runCountsAnswer = z.object({
  total: z.number().int(),
  byKind: z.record(z.string(), z.number().int()),
  byStatus: z.record(z.string(), z.number().int()),
  byHealth: z.object({ red: z.number().int(), amber: z.number().int(), green: z.number().int() }),
});

export const runDetailAnswer = runListItem.extend({
  organisations: z.array(z.string()),
  businessKey: z.string(),
  runId: z.string().nullable(),
  stages: z.array(z.object({
    key: z.string(), title: z.string(), status: stageStatus, startedAt: instant.nullable(), finishedAt: instant.nullable(),
    plannedAt: instant.nullable().optional(),
  })),
  steps: z.array(z.object({
    key: z.string(), stage: z.string(), title: z.string(), status: stageStatus,
    startedAt: instant.nullable().optional(), finishedAt: instant.nullable().optional(), dueAt: instant.nullable().optional(),
    detail: z.record(z.string(), z.unknown()).nullable().optional(),
  })),
  approvals: z.array(approval),
  pendingApprovals: z.array(approval),
  result: z.record(z.string(), z.unknown()).nullable(),
  failure: z.string().nullable(),
});

export const launchAnswer = z.object({ workflowId: z.string(), runId: z.string(), status: z.literal('running') });

export const eventAnswer = z.object({
  status: z.enum(['delivered', 'duplicate', 'unmatched']),
  workflowId: z.string().nullable(),
  idempotencyKey: z.string(),
});
