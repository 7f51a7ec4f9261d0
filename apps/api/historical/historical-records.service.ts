import { Inject, Injectable } from '@nestjs/common';
import type { Pool } from 'pg';
import { PG_POOL } from '../../../libs/db/db.module';
import { withTransaction, type Queryable } from '../../../libs/db/pool';
import { AuditRepository } from '../../../libs/db/repositories/audit.repository';
import { ConsolidationRepository } from '../../../libs/db/repositories/consolidation.repository';
import { HistoricalRecordRepository, type HistoricalRecordRow } from '../../../libs/db/repositories/historical-record.repository';
import { ProcessRepository } from '../../../libs/db/repositories/process.repository';
import { RegistryRepository } from '../../../libs/db/repositories/registry.repository';
import { tokenActor, type TokenOwner } from '../../../libs/db/repositories/token.repository';
import { TrackingRepository } from '../../../libs/db/repositories/tracking.repository';
import { dayBefore } from '../../../libs/domain/duration';
import {
  historicalRecordSchema, historicalTrack, historicalWorkflowId, notYetHappened, type HistoricalChange, type HistoricalRecordInput,
} from '../../../libs/domain/historical-record';
import { covers } from '../auth/scope.policy';
import { ApiError } from '../common/api-error';
import { parseBody } from '../common/zod-body';
import { Clock } from '../people/clock';

/** A registry write that would overlap a row already there (a later holder, a later service area). */
const OVERLAP_CODES = new Set(['23P01', '23505']);

/**
 * Records a process that happened before Fuusio: a completed run marked imported, its audit events on
 * the real decision dates and effective date, and the registry changes it made from that date, all in
 * one transaction (a refusal writes nothing).
 */
@Injectable()
export class HistoricalRecordsService {
  private readonly records = new HistoricalRecordRepository();
  private readonly tracking = new TrackingRepository();
  private readonly audit = new AuditRepository();
  private readonly registry = new RegistryRepository();
  private readonly consolidations = new ConsolidationRepository();
  private readonly processes = new ProcessRepository();

  constructor(
    @Inject(PG_POOL) private readonly pool: Pool,
    private readonly clock: Clock,
  ) {}

  async record(body: unknown, user: TokenOwner, requestId: string): Promise<HistoricalRecordRow> {
    const input = parseBody(historicalRecordSchema, body);
    if (notYetHappened(input, this.clock.today())) {
      throw ApiError.badRequest('effectiveDate: a historical record is of a process that has already taken effect', [
        { path: 'effectiveDate', message: `must be before today (${this.clock.today()})` },
      ]);
    }
    if (user.organisation && !input.organisations.includes(user.organisation)) {
      throw new ApiError(403, 'forbidden', `organisations: this token may only record processes that involve ${user.organisation}`, [
        { path: 'organisations', message: `must include ${user.organisation}` },
      ]);
    }
    const workflowId = historicalWorkflowId(input.businessKey);
    const alreadyRecorded = () => ApiError.conflict('already_recorded', `a historical record with businessKey ${input.businessKey} exists`, [
      { path: 'businessKey', message: 'is already recorded' },
    ]);
    if (await this.processes.organisationsOf(this.pool, workflowId)) throw alreadyRecorded();
    await this.assertKnownOrganisations(input);
    const actor = tokenActor(user);
    try {
      return await withTransaction(this.pool, async (tx) => {
        for (const step of historicalTrack(input, workflowId)) {
          await this.tracking.apply(tx, {
            key: step.key, action: step.action, actor, run: step.run, steps: step.steps, approvals: step.approvals,
            details: { imported: true, source: input.source },
          }, null, new Date(step.occurredAt));
        }
        const row = await this.records.insert(tx, { ...input, workflowId, importedBy: actor });
        for (const [i, change] of input.changes.entries()) await this.apply(tx, workflowId, input.effectiveDate, change, i);
        await this.audit.append(tx, {
          idempotencyKey: `${workflowId}#imported`,
          workflowId,
          action: 'historical.imported',
          actor,
          payload: { imported: true, recordId: row.id, kind: input.kind, effectiveDate: input.effectiveDate, source: input.source,
            decisions: input.decisions, changes: input.changes, requestId },
        });
        return row;
      });
    } catch (err) {
      if (err instanceof ApiError) throw err;
      const { code, constraint } = err as { code?: unknown; constraint?: unknown };
      // The same record sent twice at once: the second meets the first's row.
      if (constraint === 'historical_records_workflow_id_key') throw alreadyRecorded();
      if (typeof code === 'string' && OVERLAP_CODES.has(code)) {
        throw ApiError.conflict('registry_conflict', `the changes overlap rows the registry already has after ${input.effectiveDate}`, [
          { path: 'changes', message: 'overlap a later row of the registry' },
        ]);
      }
      throw err;
    }
  }

  async list(user: TokenOwner): Promise<{ items: HistoricalRecordRow[] }> {
    return { items: await this.records.list(this.pool, user.organisation) };
  }

  async detail(id: string, user: TokenOwner): Promise<HistoricalRecordRow> {
    const row = await this.records.find(this.pool, id);
    const organisations = row ? await this.processes.organisationsOf(this.pool, row.workflowId) : null;
    if (!row || !organisations || !covers(user, organisations)) throw ApiError.notFound('the historical record');
    return row;
  }

  /** Every organisation the record names must be in the registry (422 naming the first unknown one). */
  private async assertKnownOrganisations(input: HistoricalRecordInput): Promise<void> {
    const named: [string, string][] = [
      ...input.organisations.map((id, i): [string, string] => [`organisations.${i}`, id]),
      ...input.changes.flatMap((c, i) => Object.entries(c)
        .filter(([field, value]) => field !== 'type' && field !== 'kind' && field !== 'ref' && typeof value === 'string')
        .map(([field, value]): [string, string] => [`changes.${i}.${field}`, value as string])),
    ];
    for (const [path, id] of named) {
      if (!(await this.registry.organisation(this.pool, id))) {
        throw ApiError.unprocessable('unknown_organisation', `${path}: organisation ${id} is not in the registry`, [{ path, message: 'is not in the registry' }]);
      }
    }
  }

  /** One registry change from the effective date; 422 naming the field when the registry did not stand as the change says. */
  private async apply(tx: Queryable, workflowId: string, effectiveDate: string, c: HistoricalChange, i: number): Promise<void> {
    const before = dayBefore(effectiveDate);
    const step = `imported:change:${i + 1}`;
    const refuse = (field: string, message: string) =>
      ApiError.unprocessable('registry_mismatch', `changes.${i}.${field}: ${message}`, [{ path: `changes.${i}.${field}`, message }]);
    if (c.type === 'serviceArea.moved') {
      if (!(await this.consolidations.served(tx, c.fromCentre, before)).includes(c.municipality)) {
        throw refuse('fromCentre', `did not serve ${c.municipality} on ${before}`);
      }
      await this.consolidations.endServiceAreas(tx, c.fromCentre, [c.municipality], before);
      await this.consolidations.addServiceArea(tx, { centreId: c.toCentre, municipalityId: c.municipality, validFrom: effectiveDate, workflowId, step });
    } else if (c.type === 'holding.moved') {
      const holder = await this.consolidations.holderOn(tx, c.kind, c.ref, before);
      if (holder?.organisationId !== c.fromOrganisation) throw refuse('fromOrganisation', `did not hold ${c.kind} ${c.ref} on ${before}`);
      await this.consolidations.moveHolding(tx, {
        workflowId, step, partyId: c.fromOrganisation, kind: c.kind, ref: c.ref, to: c.toOrganisation, effectiveDate, dayBefore: before,
        counterpartyId: holder.counterpartyId,
      });
    } else if (c.type === 'shares.transferred') {
      if (!(await this.registry.holdsShares(tx, c.company, c.fromHolder, before))) {
        throw refuse('fromHolder', `held no shares of ${c.company} on ${before}`);
      }
      await this.consolidations.moveShareholdings(tx, { workflowId, partyId: c.fromHolder, companyId: c.company, to: c.toHolder, effectiveDate });
    } else {
      const org = await this.registry.organisation(tx, c.businessId);
      if (!org || org.validFrom > before || (org.validTo !== null && org.validTo < before)) throw refuse('businessId', `was not in force on ${before}`);
      await this.registry.endOrganisation(tx, c.businessId, before, c.mergedInto ?? null);
    }
  }
}
