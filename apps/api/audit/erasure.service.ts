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
import { parseBody } from '../common/zod-body';
import { WorkflowsService } from '../workflows/workflows.service';

export const erasureSchema = z.object({
  workflowId: z.string().min(1).max(300),
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
    await this.workflows.detail(request.workflowId, user);
    const erasedBy = tokenActor(user);
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
}
