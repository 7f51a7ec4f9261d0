import { type CanActivate, type ExecutionContext, Inject, Injectable, Optional } from '@nestjs/common';
import type { Pool } from 'pg';
import { PG_POOL } from '../../../libs/db/db.module';
import { InboundEventRepository } from '../../../libs/db/repositories/inbound-event.repository';
import { ProcessRepository, type RunDetail, type RunRef } from '../../../libs/db/repositories/process.repository';
import { TokenRepository, type TokenInfo, type TokenOwner } from '../../../libs/db/repositories/token.repository';
import { ApiError } from '../common/api-error';
import { MAX_CHILD_DEPTH, WorkflowLineage } from '../workflows/workflow-lineage';
import type { RequestWithUser } from './auth.decorators';

type Scoped = Pick<TokenOwner, 'organisation'>;

/**
 * The one scope rule: a token without an organisation sees everything; a token scoped to an
 * organisation sees a workflow (or a token) only when that organisation takes part in it.
 */
export function covers(user: Scoped, organisations: readonly string[]): boolean {
  return !user.organisation || organisations.includes(user.organisation);
}

/**
 * What a token that may not see a workflow is told: exactly what an unknown workflow answers, with no
 * id, stage or hint that it exists.
 */
export function workflowNotFound(): ApiError {
  return ApiError.notFound('the workflow');
}

export type SeenEvent = { workflowId: string | null; status: string; type: string };

/** A workflow a token may read: a process (its own row) or a child of one, which shares its parent's scope. */
export type ReadableWorkflow = { workflowId: string; parentWorkflowId: string | null; processWorkflowId: string };

/**
 * Every way a request can name a workflow (its id, a business key, an idempotency key) resolves the
 * workflow's organisations here and is checked with `covers`; out of scope is answered as not found.
 */
@Injectable()
export class ScopePolicy {
  private readonly processes = new ProcessRepository();
  private readonly events = new InboundEventRepository();
  private readonly tokens = new TokenRepository();

  constructor(
    @Inject(PG_POOL) private readonly pool: Pool,
    // Absent where only processes are addressed (the bench); then a child id is simply not found.
    @Optional() private readonly lineage?: WorkflowLineage,
  ) {}

  /** A workflow named by id, with its detail: 404 when it is unknown or out of the token's scope. */
  async workflow(user: Scoped, workflowId: string): Promise<RunDetail> {
    const detail = await this.processes.detail(this.pool, workflowId);
    if (!detail || !covers(user, detail.organisations)) throw workflowNotFound();
    return detail;
  }

  /** The cheap check of a workflow named by id (no detail read): 404 when unknown or out of scope. A child is checked as its parent. */
  async assertWorkflow(user: Scoped, workflowId: string): Promise<void> {
    await this.readable(user, workflowId);
  }

  /**
   * A workflow named by id for reading its history, audit trail or runs: a process, or a child workflow
   * in scope exactly when the process that started it is (followed up through children of children).
   */
  async readable(user: Scoped, workflowId: string): Promise<ReadableWorkflow> {
    let id = workflowId;
    let parent: string | null = null;
    for (let depth = 0; depth <= MAX_CHILD_DEPTH; depth += 1) {
      const organisations = await this.processes.organisationsOf(this.pool, id);
      if (organisations) {
        if (!covers(user, organisations)) throw workflowNotFound();
        return { workflowId, parentWorkflowId: parent, processWorkflowId: id };
      }
      const up = await this.lineage?.parentOf(id);
      if (!up) break;
      if (depth === 0) parent = up;
      id = up;
    }
    throw workflowNotFound();
  }

  /**
   * A workflow named by business key. An unscoped token gets null for an unknown key (its event is kept as
   * unmatched). A scoped token may only address what it can see: an unknown key and another organisation's
   * workflow both answer 404, so the answer tells it nothing about which keys exist.
   */
  async businessKey(user: Scoped, businessKey: string): Promise<RunRef | null> {
    const run = await this.processes.workflowIdForBusinessKey(this.pool, businessKey);
    if (user.organisation && (!run || !covers(user, run.organisations))) throw workflowNotFound();
    return run;
  }

  /**
   * An event seen before under an idempotency key, which names the workflow it went to: 404 when the token
   * may not see that workflow (a scoped token never learns another organisation's workflow id from a key).
   */
  async seenEvent(user: Scoped, idempotencyKey: string): Promise<SeenEvent | null> {
    const seen = await this.events.find(this.pool, idempotencyKey);
    if (!seen || !user.organisation) return seen;
    const organisations = seen.workflowId ? await this.processes.organisationsOf(this.pool, seen.workflowId) : null;
    if (!organisations || !covers(user, organisations)) throw workflowNotFound();
    return seen;
  }

  /** A token named by id (token management): a scoped admin manages only tokens scoped to its organisation. */
  async token(user: Scoped, tokenId: number): Promise<TokenInfo> {
    const token = Number.isSafeInteger(tokenId) ? await this.tokens.find(this.pool, tokenId) : null;
    if (!token || !covers(user, token.organisation ? [token.organisation] : [])) throw ApiError.notFound('the token');
    return token;
  }
}

/** Routes under `/api/workflows/:id…` whose path names a workflow. */
const WORKFLOW_PATH = /^\/api\/workflows\/:id(\/|$)/;

/**
 * Runs after the AuthGuard on every route: whatever a route under `/api/workflows/:id` does, a scoped token
 * that may not see the workflow is stopped here with 404 before the handler or its body parsing sees the
 * request. Services still resolve workflows through ScopePolicy for the names that come in bodies.
 */
@Injectable()
export class WorkflowScopeGuard implements CanActivate {
  constructor(private readonly scope: ScopePolicy) {}

  async canActivate(ctx: ExecutionContext): Promise<boolean> {
    if (ctx.getType() !== 'http') return true;
    const req = ctx.switchToHttp().getRequest<RequestWithUser & { route?: { path?: unknown }; params?: Record<string, string> }>();
    const path = req.route?.path;
    const id = req.params?.id;
    if (!req.user?.organisation || typeof path !== 'string' || !WORKFLOW_PATH.test(path) || id === undefined) return true;
    await this.scope.assertWorkflow(req.user, id);
    return true;
  }
}
