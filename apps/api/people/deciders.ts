import { Injectable, Inject } from '@nestjs/common';
import type { Pool } from 'pg';
import { PG_POOL } from '../../../libs/db/db.module';
import { PeopleRepository } from '../../../libs/db/repositories/people.repository';
import type { TokenOwner } from '../../../libs/db/repositories/token.repository';
import type { ConsolidationInput } from '../../../libs/domain/consolidation';
import { DECIDING_ROLES } from '../../../libs/domain/people';
import type { ApprovalView } from '../../../libs/domain/progress';

type ChainBodyInput = ConsolidationInput['parties'][number]['decisionChain'][number];
import type { ApprovalPolicyInput, DecisionInput } from '../../../libs/domain/schemas';
import { ApiError } from '../common/api-error';
import { Clock } from './clock';

/** The body of a company's board, whose members vote on onboarding board gates. */
export const BOARD_BODY = 'board';

/**
 * Who a decision is by, from the token's person and the delegations in force today. The workflow's
 * gate has the final word (its validator checks membership and repeated votes); this only finds out
 * for whom a substitute acts, which needs the directory.
 */
@Injectable()
export class Deciders {
  private readonly people = new PeopleRepository();

  constructor(@Inject(PG_POOL) private readonly pool: Pool, private readonly clock: Clock) {}

  /**
   * `decidedBy` is the caller's person. `onBehalfOf` is the member named in the body (which must have
   * delegated to the caller for the party's organisation today) or, when the caller is no member of the
   * gate, the one member who has delegated to them and not yet voted.
   */
  async resolve(
    user: TokenOwner, decision: DecisionInput & { onBehalfOf?: string }, approval: ApprovalView | undefined,
  ): Promise<{ decidedBy: string | null; onBehalfOf: string | null }> {
    const decidedBy = user.personId ?? null;
    if (!decidedBy) {
      if (decision.onBehalfOf) throw ApiError.unprocessable('no_person', 'this token belongs to no person, so it cannot act for one', [{ path: 'onBehalfOf', message: 'needs a person\'s token' }]);
      return { decidedBy: null, onBehalfOf: null };
    }
    const delegators = (await this.people.delegatorsTo(this.pool, { toPerson: decidedBy, organisation: decision.party, on: this.clock.today() }))
      .map((d) => d.fromPerson);
    if (decision.onBehalfOf) {
      if (!delegators.includes(decision.onBehalfOf)) {
        throw ApiError.unprocessable('no_delegation', `${decision.onBehalfOf} has not handed a role in ${decision.party} to ${decidedBy} for today`, [
          { path: 'onBehalfOf', message: 'no delegation to you in force today' },
        ]);
      }
      return { decidedBy, onBehalfOf: decision.onBehalfOf };
    }
    const members = approval?.members;
    if (!members || members.includes(decidedBy)) return { decidedBy, onBehalfOf: null };
    const voted = new Set((approval.votes ?? []).map((v) => v.member));
    const candidates = delegators.filter((p) => members.includes(p) && !voted.has(p));
    if (candidates.length > 1) {
      throw ApiError.unprocessable('on_behalf_of_ambiguous', `you substitute for several members (${candidates.join(', ')}): name one`, [
        { path: 'onBehalfOf', message: `one of ${candidates.join(', ')}` },
      ]);
    }
    return { decidedBy, onBehalfOf: candidates[0] ?? null };
  }

  /**
   * Completes a body's policy from the directory: named members must sit in the body today (hold a
   * deciding role there); without names every current member does. 400 with the field (`path`) when the
   * body cannot decide as asked: nobody in it, an unknown member, a quorum larger than the body.
   */
  async bodyPolicy(q: { organisation: string; body: string; policy: ApprovalPolicyInput; path: string }): Promise<{ quorum: number; members: string[] }> {
    const { organisation, body, policy, path } = q;
    const sitting = await this.people.holders(this.pool, { organisation, roles: DECIDING_ROLES, body, on: this.clock.today() });
    if (policy.members) {
      const issues = policy.members
        .map((m, i) => ({ m, i }))
        .filter(({ m }) => !sitting.includes(m))
        .map(({ m, i }) => ({ path: `${path}.members.${i}`, message: `${m} is not a member of ${body} of ${organisation} today` }));
      if (issues.length > 0) throw ApiError.badRequest(issues.map((x) => `${x.path}: ${x.message}`).join('; '), issues);
      return { quorum: policy.quorum, members: policy.members };
    }
    if (sitting.length === 0) {
      throw ApiError.badRequest(`${path}: the directory has no members of ${body} of ${organisation}`, [{ path, message: `no members of ${body} of ${organisation} in the directory` }]);
    }
    if (policy.quorum > sitting.length) {
      throw ApiError.badRequest(`${path}.quorum: ${policy.quorum} is more than the ${sitting.length} members of ${body}`, [
        { path: `${path}.quorum`, message: `is larger than the body (${sitting.length} member${sitting.length === 1 ? '' : 's'})` },
      ]);
    }
    return { quorum: policy.quorum, members: sitting };
  }

  /** An onboarding's board: the company's body "board". */
  boardPolicy(company: string, policy: ApprovalPolicyInput): Promise<{ quorum: number; members: string[] }> {
    return this.bodyPolicy({ organisation: company, body: BOARD_BODY, policy, path: 'board' });
  }

  /** A consolidation's decision chains: every body that asks for a policy gets its members. */
  async consolidationPolicies(input: ConsolidationInput): Promise<ConsolidationInput> {
    const chain = async (organisation: string, bodies: ChainBodyInput[], path: string): Promise<ChainBodyInput[]> => {
      const out: ChainBodyInput[] = [];
      for (const [i, b] of bodies.entries()) {
        out.push(b.policy ? { ...b, policy: await this.bodyPolicy({ organisation, body: b.key, policy: b.policy, path: `${path}.${i}.policy` }) } : b);
      }
      return out;
    };
    const parties = [];
    for (const [i, p] of input.parties.entries()) parties.push({ ...p, decisionChain: await chain(p.businessId, p.decisionChain, `parties.${i}.decisionChain`) });
    const host = input.host ? { ...input.host, decisionChain: await chain(input.host.businessId, input.host.decisionChain, 'host.decisionChain') } : input.host;
    return { ...input, parties, ...(host ? { host } : {}) };
  }
}
