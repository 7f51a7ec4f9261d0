import { Inject, Injectable } from '@nestjs/common';
import type { Pool } from 'pg';
import { z } from 'zod';
import { PG_POOL } from '../../../libs/db/db.module';
import { withTransaction } from '../../../libs/db/pool';
import { appendApiEvent } from '../../../libs/db/repositories/api-audit';
import { PersonalDataRepository, type ErasureResult } from '../../../libs/db/repositories/personal-data.repository';
import { PersonalKeysRepository } from '../../../libs/db/repositories/personal-keys.repository';
import { tokenActor, type TokenOwner } from '../../../libs/db/repositories/token.repository';
import { noPeopleHere } from '../../../libs/domain/data-classification';
import { ApiError } from '../common/api-error';
import { parseBody } from '../common/zod-body';
import { WorkflowsService } from '../workflows/workflows.service';

export const erasureSchema = z.object({
  workflowId: z.string().min(1).max(300).describe('the workflow; or, for an unscoped admin, the business key of events that matched no workflow'),
  actor: z.string().regex(/^[a-z]+:.+$/, 'must be an actor as the audit trail names it, e.g. "manager:maija"').max(200).optional(),
  reason: z.string().trim().min(3).max(500).describe(noPeopleHere('the ground of the erasure, e.g. the request number')),
});

/**
 * Erasing personal data on request: the fields kept beside the audit trail go, the keys that sealed the
 * same values in Temporal's histories are shredded and the stored event payloads are cleared; the chain
 * and the record of the erasure stay.
 */
@Injectable()
export class ErasureService {
  private readonly personalData = new PersonalDataRepository();
  private readonly keys = new PersonalKeysRepository();

  constructor(
    @Inject(PG_POOL) private readonly pool: Pool,
    private readonly workflows: WorkflowsService,
  ) {}

  async erase(body: unknown, user: TokenOwner, requestId: string): Promise<ErasureResult> {
    const request = parseBody(erasureSchema, body);
    const erasedBy = tokenActor(user);
    if (!(await this.isWorkflow(request.workflowId, user))) return this.eraseUnmatched(request, erasedBy, requestId);
    return withTransaction(this.pool, async (tx) => {
      const seqs = await this.personalData.erase(tx, { ...request, erasedBy });
      const clearedEvents = await this.personalData.clearInboundPayloads(tx, request);
      const shreddedKeys = await this.keys.shred(tx, {
        workflowId: request.workflowId, ...(request.actor ? { author: request.actor } : {}), by: erasedBy, reason: request.reason,
      });
      // An erasure that found nothing left changed nothing, so it leaves no event (a retry adds nothing).
      const event = seqs.length || shreddedKeys.length || clearedEvents.length
        ? await appendApiEvent(tx, {
          requestId, workflowId: request.workflowId, action: 'personal-data.erased', actor: erasedBy,
          payload: {
            seqs, shreddedKeys, ...(clearedEvents.length ? { clearedEvents } : {}),
            ...(request.actor ? { writtenBy: request.actor } : {}), erasureReason: request.reason,
          },
        })
        : null;
      return { workflowId: request.workflowId, erased: seqs.length, seqs, shreddedKeys, clearedEvents, auditSeq: event?.seq ?? null };
    });
  }

  /**
   * Whether `id` names a workflow in the token's scope (else 404). Events that matched no workflow belong
   * to no organisation, so only an unscoped admin may name their business key instead.
   */
  private async isWorkflow(id: string, user: TokenOwner): Promise<boolean> {
    try {
      await this.workflows.detail(id, user);
      return true;
    } catch (e) {
      if (e instanceof ApiError && e.status === 404 && user.organisation === null && await this.personalData.hasUnmatchedEvents(this.pool, id)) {
        return false;
      }
      throw e;
    }
  }

  /** Clears the payloads of unmatched events stored under a business key no workflow has. */
  private async eraseUnmatched(request: z.infer<typeof erasureSchema>, erasedBy: string, requestId: string): Promise<ErasureResult> {
    return withTransaction(this.pool, async (tx) => {
      const clearedEvents = await this.personalData.clearInboundPayloads(tx, request);
      const event = clearedEvents.length
        ? await appendApiEvent(tx, {
          requestId, workflowId: null, action: 'personal-data.erased', actor: erasedBy,
          payload: { businessKey: request.workflowId, clearedEvents, ...(request.actor ? { writtenBy: request.actor } : {}), erasureReason: request.reason },
        })
        : null;
      return { workflowId: request.workflowId, erased: 0, seqs: [], shreddedKeys: [], clearedEvents, auditSeq: event?.seq ?? null };
    });
  }
}
