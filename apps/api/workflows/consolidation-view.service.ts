import { Inject, Injectable } from '@nestjs/common';
import { defaultPayloadConverter, type Payload } from '@temporalio/common';
import type { Pool } from 'pg';
import { PG_POOL } from '../../../libs/db/db.module';
import { ConsolidationRepository } from '../../../libs/db/repositories/consolidation.repository';
import { RegistryRepository } from '../../../libs/db/repositories/registry.repository';
import type { TokenOwner } from '../../../libs/db/repositories/token.repository';
import { consolidationInputSchema, planConsolidation, type ConsolidationInput } from '../../../libs/domain/consolidation';
import { consolidationView, type ConsolidationAnswer, type NamedOrganisation } from '../../../libs/domain/consolidation-view';
import { dayBefore } from '../../../libs/domain/duration';
import { HistorySource } from '../audit/history-source';
import { ApiError } from '../common/api-error';
import { Clock } from '../people/clock';
import { WorkflowsService } from './workflows.service';

/**
 * A consolidation as its detail page shows it. The launch input is read from the run's first history
 * event (Temporal's, or the archive's after retention); the plan is computed again from the service
 * areas of the day before the effective date, which the transfers never rewrite (they end rows on that
 * day and open new ones from the effective date), so it reads the same before and after.
 */
@Injectable()
export class ConsolidationViewService {
  private readonly consolidations = new ConsolidationRepository();
  private readonly registry = new RegistryRepository();

  constructor(
    @Inject(PG_POOL) private readonly pool: Pool,
    private readonly workflows: WorkflowsService,
    private readonly histories: HistorySource,
    private readonly clock: Clock,
  ) {}

  async view(workflowId: string, user: TokenOwner): Promise<ConsolidationAnswer> {
    const detail = await this.workflows.detail(workflowId, user);
    if (detail.kind !== 'consolidation') throw ApiError.notFound(`consolidation ${workflowId} (the workflow is a ${detail.kind})`);
    const input = await this.launchInput(workflowId);
    const plan = planConsolidation(input, await this.consolidations.centreAreas(this.pool, dayBefore(input.effectiveDate)));
    const tally = await this.consolidations.transfersAt(this.pool, workflowId, this.clock.now());
    const parties = [...input.parties.map((p) => p.businessId), ...(input.host ? [input.host.businessId] : [])];
    const bodies = await this.registry.bodiesOf(this.pool, parties);
    const { organisationIds, ...view } = consolidationView(workflowId, input, plan, detail.approvals, tally, bodies);
    const names: Record<string, NamedOrganisation> = {};
    for (const org of await this.registry.organisationsByIds(this.pool, organisationIds)) names[org.businessId] = { name: org.name, nameSv: org.nameSv };
    return { ...view, names };
  }

  private async launchInput(workflowId: string): Promise<ConsolidationInput> {
    const { history } = await this.histories.run(workflowId);
    const payload = history.events?.[0]?.workflowExecutionStartedEventAttributes?.input?.payloads?.[0];
    const parsed = payload ? consolidationInputSchema.safeParse(defaultPayloadConverter.fromPayload(payload as Payload)) : null;
    if (!parsed?.success) throw ApiError.notFound(`the launch input of consolidation ${workflowId}`);
    return parsed.data;
  }
}
