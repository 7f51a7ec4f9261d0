import { Inject, Injectable } from '@nestjs/common';
import { WorkflowIdReusePolicy } from '@temporalio/common';
import type { Pool } from 'pg';
import { PG_POOL } from '../../../libs/db/db.module';
import { withTransaction } from '../../../libs/db/pool';
import { recordApiEvent } from '../../../libs/db/repositories/api-audit';
import { AuditRepository } from '../../../libs/db/repositories/audit.repository';
import { InboundEventRepository } from '../../../libs/db/repositories/inbound-event.repository';
import { ProcessRepository, type RunDetail, type RunListItem } from '../../../libs/db/repositories/process.repository';
import { runHealth, type Health } from '../../../libs/domain/health';
import { withPendingApprovals, type RunDetailAnswer } from '../../../libs/domain/run-views';
import { RegistryRepository } from '../../../libs/db/repositories/registry.repository';
import type { TokenOwner } from '../../../libs/db/repositories/token.repository';
import { actorLabel, type Actor } from '../../../libs/domain/progress';
import { LAUNCH_KINDS, isLaunchKind, type LaunchSpec } from '../../../libs/domain/launch-kinds';
import { cancelSchema, decisionSchema, workflowEventSchema, type OnboardingInput, type WorkflowEventInput } from '../../../libs/domain/schemas';
import { FuusioKind, FuusioOrgs, FuusioStage, FuusioStatus } from '../../../libs/temporal/search-attributes';
import { cancelUpdate, decideUpdate, eventUpdate } from '../../../workflows/kit/messages';
import type { ConsolidationInput } from '../../../libs/domain/consolidation';
import { personIdSchema } from '../../../libs/domain/people';
import { onBehalfLabel } from '../../../libs/domain/progress';
import { covers, ScopePolicy, type ReadableWorkflow } from '../auth/scope.policy';
import { ApiError } from '../common/api-error';
import { ItemListsService } from '../consolidations/item-lists.service';
import { Clock } from '../people/clock';
import { Deciders } from '../people/deciders';
import { parseBody } from '../common/zod-body';
import { LAUNCH_CHECKS, type LaunchCheck } from './launch-checks';
import { checkEventPayload } from './event-payloads';
import { TemporalClientProvider } from '../temporal/temporal.module';
import type { ListQuery } from './list-query';
import { RunReconciler } from './run-reconciler';

export type LaunchResult = { workflowId: string; runId: string; status: 'running' };
export type EventResult = { status: 'delivered' | 'duplicate' | 'unmatched'; workflowId: string | null; idempotencyKey: string };

/** The actor of a call: the token's person where it belongs to one (the audit trail then names that person). */
function actorOf(user: TokenOwner): Actor {
  return { name: user.personId ?? user.name, role: user.role };
}

/** A decision as the API takes it: the workflow's decision plus, for a substitute, whom they decide for. */
const decisionRequestSchema = decisionSchema.extend({ onBehalfOf: personIdSchema.optional() });

/**
 * What of an event's payload goes into the audit trail: amounts only. Payloads may carry personal data
 * (names, account numbers, messages), which the chained record must never hold.
 */
export function auditedAmounts(payload: Record<string, unknown>): { amountCents?: number; currency?: string } {
  const { amountCents, currency } = payload;
  return {
    ...(typeof amountCents === 'number' && Number.isSafeInteger(amountCents) ? { amountCents } : {}),
    ...(typeof currency === 'string' && /^[A-Z]{3}$/.test(currency) ? { currency } : {}),
  };
}

/** Launch, read and steer workflows: the rules behind the workflow endpoints. */
@Injectable()
export class WorkflowsService {
  private readonly processes = new ProcessRepository();
  private readonly registry = new RegistryRepository();
  private readonly audit = new AuditRepository();
  private readonly events = new InboundEventRepository();

  constructor(
    @Inject(PG_POOL) private readonly pool: Pool,
    private readonly temporal: TemporalClientProvider,
    private readonly scope: ScopePolicy,
    private readonly reconciler: RunReconciler,
    private readonly deciders: Deciders,
    private readonly clock: Clock,
    private readonly itemLists: ItemListsService,
  ) {}

  async launch(kind: string, body: unknown, user: TokenOwner, requestId: string): Promise<LaunchResult> {
    if (!isLaunchKind(kind)) {
      throw new ApiError(404, 'unknown_kind', `there is no workflow kind "${kind}" (kinds: ${Object.keys(LAUNCH_KINDS).join(', ')})`);
    }
    const spec: LaunchSpec = LAUNCH_KINDS[kind];
    let input: unknown = parseBody(spec.schema, body);
    const { businessKey, organisations, company } = spec.describe(input);
    if (!covers(user, organisations)) {
      throw ApiError.forbidden(`this token may only launch workflows that involve ${user.organisation}`);
    }
    if (company && !(await this.registry.company(this.pool, company))) {
      throw ApiError.unprocessable('unknown_company', `company ${company} is not in the registry`, [
        { path: 'company', message: 'not in the registry' },
      ]);
    }
    const check = LAUNCH_CHECKS[kind] as LaunchCheck<typeof kind> | undefined;
    await check?.(this.pool, input as never);
    // Item lists are the token's own uploads, within the consolidation's limits.
    if (kind === 'consolidation') await this.itemLists.checkLaunch(input as ConsolidationInput, user);
    input = await this.withDeciders(kind, input);
    const client = await this.temporal.get();
    const handle = await client.workflow.start(spec.workflowType, {
      taskQueue: this.temporal.taskQueue,
      workflowId: businessKey,
      args: [input],
      workflowIdReusePolicy: WorkflowIdReusePolicy.REJECT_DUPLICATE,
      typedSearchAttributes: [
        { key: FuusioKind, value: kind },
        { key: FuusioOrgs, value: organisations },
        { key: FuusioStage, value: 'started' },
        { key: FuusioStatus, value: 'running' },
      ],
    });
    await withTransaction(this.pool, (tx) =>
      this.audit.append(tx, {
        idempotencyKey: `${handle.workflowId}#launch#${handle.firstExecutionRunId}`,
        workflowId: handle.workflowId,
        action: 'workflow.launched',
        actor: actorLabel(actorOf(user)),
        payload: { kind, businessKey, runId: handle.firstExecutionRunId, requestId },
      }),
    );
    return { workflowId: handle.workflowId, runId: handle.firstExecutionRunId, status: 'running' };
  }

  /** Bodies that decide by their members (an onboarding's board, a consolidation's chain bodies) get them from the directory. */
  private async withDeciders(kind: string, input: unknown): Promise<unknown> {
    if (kind === 'consolidation') return this.deciders.consolidationPolicies(input as ConsolidationInput);
    if (kind !== 'onboarding') return input;
    const onboarding = input as OnboardingInput;
    if (!onboarding.board) return input;
    return { ...onboarding, board: await this.deciders.boardPolicy(onboarding.company, onboarding.board) };
  }

  async list(filter: ListQuery, user: TokenOwner): Promise<Array<RunListItem & { health: Health }>> {
    await this.reconciler.sweepSoon();
    const now = this.clock.now();
    const items = await this.processes.list(this.pool, { ...filter, scope: user.organisation, now });
    return items.map((item) => ({ ...item, health: runHealth(item, now) }));
  }

  async counts(filter: ListQuery, user: TokenOwner) {
    await this.reconciler.sweepSoon();
    const { cursor: _cursor, limit: _limit, ...filters } = filter;
    return this.processes.counts(this.pool, { ...filters, scope: user.organisation, now: this.clock.now() });
  }

  /** A run as the API answers it: with the approvals still waiting and its health now. */
  present(detail: RunDetail): RunDetailAnswer & { health: Health } {
    return { ...withPendingApprovals(detail), health: runHealth(detail, this.clock.now()) };
  }

  /**
   * Every read or change of one workflow starts here: the scope policy answers 404 for what the token may
   * not see, and a running row is checked against Temporal (a run terminated there cannot record its end).
   */
  async detail(workflowId: string, user: TokenOwner): Promise<RunDetail> {
    return this.reconciler.reconcile(await this.scope.workflow(user, workflowId));
  }

  /**
   * A workflow whose records (history, audit trail, runs) are read: a process as `detail` checks it, or a
   * child workflow, in scope when the process that started it is.
   */
  async readable(workflowId: string, user: TokenOwner): Promise<ReadableWorkflow> {
    const found = await this.scope.readable(user, workflowId);
    if (found.processWorkflowId === workflowId) await this.detail(workflowId, user);
    return found;
  }

  /** Decisions, events and cancels only make sense while the workflow runs: a closed one answers 409. */
  private async runningDetail(workflowId: string, user: TokenOwner): Promise<RunDetail> {
    const detail = await this.detail(workflowId, user);
    if (detail.status !== 'running') {
      throw ApiError.conflict('workflow_closed', `workflow ${workflowId} has already ended (${detail.status})`);
    }
    return detail;
  }

  async decide(workflowId: string, body: unknown, user: TokenOwner, requestId: string): Promise<RunDetail> {
    const { onBehalfOf: named, ...decision } = parseBody(decisionRequestSchema, body);
    const running = await this.runningDetail(workflowId, user);
    if (user.organisation && decision.party !== user.organisation) {
      throw ApiError.forbidden(`this token may only decide for ${user.organisation}`);
    }
    // A chain gate's rows are kept per body as `gate/body` (DecisionChainGate.trackingRows).
    const rowGate = decision.body ? `${decision.gate}/${decision.body}` : decision.gate;
    const approval = running.approvals.find((a) => (a.gate === rowGate || a.gate === decision.gate) && a.party === decision.party);
    const { decidedBy, onBehalfOf } = await this.deciders.resolve(user, { ...decision, onBehalfOf: named }, approval);
    const handle = (await this.temporal.get()).workflow.getHandle(workflowId);
    await handle.executeUpdate(decideUpdate, { args: [{ ...decision, actor: actorOf(user), decidedBy, onBehalfOf }] });
    const { gate, party, body: decidingBody, decision: verdict, comment, reference } = decision;
    await this.recordCall(requestId, user, 'api.decision', workflowId, {
      gate, party, body: decidingBody, decision: verdict, comment, reference, ...(onBehalfOf ? { decidedBy, onBehalfOf } : {}),
    }, onBehalfOf);
    return this.detail(workflowId, user);
  }

  async event(workflowId: string, body: unknown, user: TokenOwner, requestId: string): Promise<EventResult> {
    const event = parseBody(workflowEventSchema, body);
    const running = await this.runningDetail(workflowId, user);
    const result = await this.deliver({ workflowId, kind: running.kind }, null, event, user);
    await this.recordCall(requestId, user, 'api.event', workflowId, {
      type: event.type, idempotencyKey: event.idempotencyKey, status: result.status, ...auditedAmounts(event.payload),
    });
    return result;
  }

  /** An event from another system, routed by business key; one that matches nothing is kept as unmatched. */
  async routedEvent(event: WorkflowEventInput & { businessKey: string }, user: TokenOwner, requestId: string): Promise<EventResult> {
    const result = await this.route(event, user);
    await this.recordCall(requestId, user, 'api.event.routed', result.workflowId, {
      type: event.type, businessKey: event.businessKey, idempotencyKey: event.idempotencyKey, status: result.status,
      ...auditedAmounts(event.payload),
    });
    return result;
  }

  private async route(event: WorkflowEventInput & { businessKey: string }, user: TokenOwner): Promise<EventResult> {
    const run = await this.scope.businessKey(user, event.businessKey);
    if (!run || run.status !== 'running') {
      const previous = await this.scope.seenEvent(user, event.idempotencyKey);
      if (previous) return { status: 'duplicate', workflowId: previous.workflowId, idempotencyKey: event.idempotencyKey };
      await this.events.insert(this.pool, {
        idempotencyKey: event.idempotencyKey, type: event.type, businessKey: event.businessKey, workflowId: run?.workflowId ?? null,
        payload: event.payload, status: 'unmatched', receivedBy: actorLabel(actorOf(user)),
      });
      return { status: 'unmatched', workflowId: null, idempotencyKey: event.idempotencyKey };
    }
    return this.deliver(run, event.businessKey, event, user);
  }

  async cancel(workflowId: string, body: unknown, user: TokenOwner, requestId: string): Promise<RunDetail> {
    const { reason } = parseBody(cancelSchema, body);
    await this.runningDetail(workflowId, user);
    const handle = (await this.temporal.get()).workflow.getHandle(workflowId);
    await handle.executeUpdate(cancelUpdate, { args: [{ reason, actor: actorOf(user) }] });
    await this.recordCall(requestId, user, 'api.cancel', workflowId, { reason });
    return this.detail(workflowId, user);
  }

  /** The audit event of a call that succeeded (a refused one never gets here), keyed `api#<requestId>`. */
  private async recordCall(
    requestId: string, user: TokenOwner, action: string, workflowId: string | null, payload: Record<string, unknown>, onBehalfOf?: string | null,
  ): Promise<void> {
    await recordApiEvent(this.pool, { requestId, workflowId, action, actor: onBehalfLabel(actorLabel(actorOf(user)), onBehalfOf), payload });
  }

  private async deliver(
    { workflowId, kind }: { workflowId: string; kind: string }, businessKey: string | null, event: WorkflowEventInput, user: TokenOwner,
  ): Promise<EventResult> {
    checkEventPayload(kind, event);
    const previous = await this.scope.seenEvent(user, event.idempotencyKey);
    if (previous) {
      if (previous.workflowId !== workflowId) {
        throw ApiError.conflict('idempotency_key_reused', 'this idempotency key was used for another workflow', [
          { path: 'idempotencyKey', message: 'already used for another workflow' },
        ]);
      }
      return { status: 'duplicate', workflowId, idempotencyKey: event.idempotencyKey };
    }
    const handle = (await this.temporal.get()).workflow.getHandle(workflowId);
    // The update id is the idempotency key, so Temporal itself also runs a repeated event once.
    await handle.executeUpdate(eventUpdate, { updateId: event.idempotencyKey, args: [{ ...event, actor: actorOf(user), person: user.personId ?? null }] });
    const stored = await this.events.insert(this.pool, {
      idempotencyKey: event.idempotencyKey, type: event.type, businessKey, workflowId, payload: event.payload,
      status: 'delivered', receivedBy: actorLabel(actorOf(user)),
    });
    return { status: stored ? 'delivered' : 'duplicate', workflowId, idempotencyKey: event.idempotencyKey };
  }
}
