import { Injectable, Inject } from '@nestjs/common';
import type { Pool } from 'pg';
import { PG_POOL } from '../../../libs/db/db.module';
import { PeopleRepository } from '../../../libs/db/repositories/people.repository';
import type { TokenOwner } from '../../../libs/db/repositories/token.repository';
import type { ApprovalView } from '../../../libs/domain/progress';
import type { ApprovalPolicyInput, DecisionInput } from '../../../libs/domain/schemas';
import { ApiError } from '../common/api-error';
import { Clock } from './clock';

/** The role whose holders sit in a company's board (body "board") and vote on onboarding board gates. */
export const BOARD_ROLE = 'board-member';
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
   * Completes a launch's board policy from the directory: named members must sit on the company's board
   * today; without names every current board member does. 400 with the field when the board cannot
   * decide as asked (nobody on it, an unknown member, a quorum larger than the board).
   */
  async boardPolicy(company: string, policy: ApprovalPolicyInput): Promise<{ quorum: number; members: string[] }> {
    const board = await this.people.holders(this.pool, { organisation: company, role: BOARD_ROLE, body: BOARD_BODY, on: this.clock.today() });
    if (policy.members) {
      const issues = policy.members
        .map((m, i) => ({ m, i }))
        .filter(({ m }) => !board.includes(m))
        .map(({ m, i }) => ({ path: `board.members.${i}`, message: `${m} is not a member of the board of ${company} today` }));
      if (issues.length > 0) throw ApiError.badRequest(issues.map((x) => `${x.path}: ${x.message}`).join('; '), issues);
      return { quorum: policy.quorum, members: policy.members };
    }
    if (board.length === 0) {
      throw ApiError.badRequest(`the directory has no board members of ${company}`, [{ path: 'board', message: `no board members of ${company} in the directory` }]);
    }
    if (policy.quorum > board.length) {
      throw ApiError.badRequest(`board.quorum: ${policy.quorum} is more than the ${board.length} members of the board`, [
        { path: 'board.quorum', message: `is larger than the board (${board.length} members)` },
      ]);
    }
    return { quorum: policy.quorum, members: board };
  }
}
