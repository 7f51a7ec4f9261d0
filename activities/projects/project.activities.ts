import { ApplicationFailure } from '@temporalio/activity';
import type { Pool } from 'pg';
import { withTransaction } from '../../libs/db/pool';
import { ProjectRepository, type ProjectRecord } from '../../libs/db/repositories/project.repository';
import { RegistryRepository } from '../../libs/db/repositories/registry.repository';
import type { ProjectPeriod } from '../../libs/domain/project';
import { OutboxWriter } from '../../libs/notify/outbox-writer';

export type ProjectActivityDeps = { pool: Pool };

/**
 * The project lifecycle's writes. Each is one transaction and idempotent on its natural key
 * (the workflow id with the period number, indicator key or document), so a retry writes nothing twice.
 */
export function createProjectActivities({ pool }: ProjectActivityDeps) {
  const projects = new ProjectRepository();
  const registry = new RegistryRepository();
  const outbox = new OutboxWriter();

  return {
    /** The project record with its current plan and indicators (the whole state each time). */
    async recordProject(r: { project: ProjectRecord; periods: ProjectPeriod[]; indicators: { key: string; title: string; target: number }[] }): Promise<void> {
      await withTransaction(pool, async (tx) => {
        if (r.project.predecessorId && !(await projects.find(tx, r.project.predecessorId))) {
          throw ApplicationFailure.nonRetryable(`predecessor project ${r.project.predecessorId} is not recorded`, 'UnknownPredecessor');
        }
        await projects.upsert(tx, r.project);
        if (r.periods.length > 0) await projects.replacePlan(tx, r.project.workflowId, r.periods);
        await projects.defineIndicators(tx, r.project.workflowId, r.indicators);
      });
    },

    async recordPeriodReport(r: { workflowId: string; periodNo: number; reportedOn: string; costsCents: number; reference: string | null }): Promise<{ written: boolean }> {
      return withTransaction(pool, async (tx) => ({ written: await projects.recordReport(tx, r) }));
    },

    async recordIndicatorActual(r: { workflowId: string; key: string; actual: number; on: string }): Promise<void> {
      await withTransaction(pool, (tx) => projects.recordActual(tx, r.workflowId, r.key, r.actual, r.on));
    },

    /** A reminder or an escalation about a period's report, to the given organisations (stored as notifications, with their messages in the outbox). */
    async noticeReport(n: {
      workflowId: string; stepKey: string; periodNo: number; recipients: string[]; subject: string; body: string; escalatedOn?: string;
    }): Promise<void> {
      await withTransaction(pool, async (tx) => {
        const notice = { workflowId: n.workflowId, stepKey: n.stepKey, recipients: n.recipients, subject: n.subject, body: n.body };
        await registry.notify(tx, notice);
        await outbox.notice(tx, notice);
        if (n.escalatedOn) await projects.markEscalated(tx, n.workflowId, n.periodNo, n.escalatedOn);
      });
    },

    /** A closing document, the last instalment or a rooting publication: written once per key. */
    async recordProjectDocument(d: { workflowId: string; kind: string; key: string; recordedOn: string; detail: Record<string, unknown> }): Promise<{ written: boolean }> {
      return withTransaction(pool, async (tx) => ({ written: await projects.addDocument(tx, d.workflowId, d) }));
    },

    async archiveProject(a: { workflowId: string; archivedOn: string; retainUntil: string }): Promise<void> {
      await withTransaction(pool, (tx) => projects.archive(tx, a.workflowId, a.archivedOn, a.retainUntil));
    },
  };
}

export type ProjectActivities = ReturnType<typeof createProjectActivities>;
