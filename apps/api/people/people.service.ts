import { Inject, Injectable } from '@nestjs/common';
import type { Pool } from 'pg';
import { z } from 'zod';
import { PG_POOL } from '../../../libs/db/db.module';
import { withTransaction, type Queryable } from '../../../libs/db/pool';
import { appendApiEvent } from '../../../libs/db/repositories/api-audit';
import { PeopleRepository } from '../../../libs/db/repositories/people.repository';
import { RegistryRepository } from '../../../libs/db/repositories/registry.repository';
import { tokenActor, type TokenOwner } from '../../../libs/db/repositories/token.repository';
import {
  delegationDateIssues, delegationInputSchema, personIdSchema, personInputSchema, roleInputSchema,
  type Delegation, type Person, type PersonRole,
} from '../../../libs/domain/people';
import { notifyPreferenceSchema, type NotifyMode } from '../../../libs/domain/notifications';
import { ApiError } from '../common/api-error';
import { parseBody } from '../common/zod-body';
import { Clock } from './clock';

export type PersonView = Person & { roles: PersonRole[] };

const listQuerySchema = z.object({
  organisation: z.string().max(20).optional(),
  after: z.string().max(40).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});

const actorLabelOf = tokenActor;

/**
 * The directory of people, their roles and their substitutes. Audit events name people by their
 * pseudonymous id only: display names and e-mail addresses stay out of the chain, so an erasure needs
 * nothing but clearing the `people` row.
 */
@Injectable()
export class PeopleService {
  private readonly people = new PeopleRepository();
  private readonly registry = new RegistryRepository();

  constructor(@Inject(PG_POOL) private readonly pool: Pool, private readonly clock: Clock) {}

  async create(body: unknown, user: TokenOwner, requestId: string): Promise<PersonView> {
    const input = parseBody(personInputSchema, body);
    return withTransaction(this.pool, async (tx) => {
      if (!(await this.people.insert(tx, input))) {
        throw ApiError.conflict('person_exists', `person ${input.id} already exists`, [{ path: 'id', message: 'already taken' }]);
      }
      await appendApiEvent(tx, { requestId, workflowId: null, action: 'api.person.created', actor: actorLabelOf(user), payload: { personId: input.id, language: input.language } });
      return this.viewIn(tx, input.id);
    });
  }

  async list(query: unknown, user: TokenOwner): Promise<{ items: PersonView[]; nextCursor: string | null }> {
    const q = parseBody(listQuerySchema, query);
    // A token scoped to an organisation sees the people of that organisation only.
    const organisation = user.organisation ?? q.organisation;
    const people = await this.people.list(this.pool, { organisation, after: q.after, limit: q.limit });
    const roles = await this.people.rolesOf(this.pool, people.map((p) => p.id));
    const items = people.map((p) => this.present({ ...p, roles: roles.filter((r) => r.personId === p.id) }, user));
    return { items, nextCursor: people.length === q.limit ? people[people.length - 1]?.id ?? null : null };
  }

  async get(id: string, user: TokenOwner): Promise<PersonView & { delegations: Delegation[] }> {
    const view = await this.viewIn(this.pool, id);
    if (user.organisation && !view.roles.some((r) => r.organisation === user.organisation)) throw ApiError.notFound(`person ${id}`);
    const delegations = await this.people.delegationsOf(this.pool, id);
    return { ...this.present(view, user), delegations: user.organisation ? delegations.filter((d) => d.organisation === user.organisation) : delegations };
  }

  async addRole(id: string, body: unknown, user: TokenOwner, requestId: string): Promise<PersonView> {
    const role = parseBody(roleInputSchema, body);
    return withTransaction(this.pool, async (tx) => {
      await this.mustExist(tx, id, 'person');
      if (!(await this.registry.organisation(tx, role.organisation))) {
        throw ApiError.unprocessable('unknown_organisation', `organisation ${role.organisation} is not in the registry`, [
          { path: 'organisation', message: 'not in the registry' },
        ]);
      }
      const added = await this.people.addRole(tx, id, role);
      if (!added) throw ApiError.conflict('role_exists', `${id} already holds this role from ${role.validFrom}`, [{ path: 'validFrom', message: 'already recorded' }]);
      await appendApiEvent(tx, {
        requestId, workflowId: null, action: 'api.person.role.added', actor: actorLabelOf(user),
        payload: { personId: id, organisation: role.organisation, role: role.role, body: role.body ?? null, validFrom: role.validFrom, validTo: role.validTo ?? null },
      });
      return this.viewIn(tx, id);
    });
  }

  /** Clears the person's name and e-mail; the pseudonymous id, roles and recorded decisions stay. */
  async erase(id: string, user: TokenOwner, requestId: string): Promise<{ personId: string; erased: boolean }> {
    return withTransaction(this.pool, async (tx) => {
      await this.mustExist(tx, id, 'person');
      const erased = await this.people.erase(tx, id);
      if (erased) await appendApiEvent(tx, { requestId, workflowId: null, action: 'api.person.erased', actor: actorLabelOf(user), payload: { personId: id } });
      return { personId: id, erased };
    });
  }

  /**
   * A substitute for one role of a person for a date range. Refused with the field and the reason (400),
   * writing nothing: to oneself, starting in the past, ending before it starts, unknown people, a role the
   * person does not hold for the whole range, or days another delegation of the same role already covers.
   * Admins may delegate for anyone; a person's own token only for that person.
   */
  async delegate(body: unknown, user: TokenOwner, requestId: string): Promise<Delegation> {
    const d = parseBody(delegationInputSchema, body);
    if (user.role !== 'admin' && user.personId !== d.fromPerson) {
      throw ApiError.forbidden('only an admin or the person themselves may hand on their role');
    }
    const issues = delegationDateIssues(d, this.clock.today());
    if (issues.length > 0) throw invalid(issues);
    return withTransaction(this.pool, async (tx) => {
      // Serialises delegations of one person's role, so two overlapping requests cannot both pass the check.
      await tx.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`delegation:${d.fromPerson}:${d.organisation}:${d.role}`]);
      const known = await this.people.existing(tx, [d.fromPerson, d.toPerson]);
      const unknown = (['fromPerson', 'toPerson'] as const).filter((f) => !known.has(d[f])).map((f) => ({ path: f, message: `there is no person ${d[f]}` }));
      if (unknown.length > 0) throw invalid(unknown);
      if (!(await this.people.holdsThroughout(tx, { personId: d.fromPerson, organisation: d.organisation, role: d.role, from: d.validFrom, to: d.validTo }))) {
        throw invalid([{ path: 'role', message: `${d.fromPerson} does not hold ${d.role} in ${d.organisation} for the whole of ${d.validFrom}–${d.validTo}` }]);
      }
      const clash = await this.people.overlapping(tx, d);
      if (clash.length > 0) {
        const c = clash[0] as Delegation;
        throw invalid([{ path: 'validFrom', message: `overlaps delegation ${c.id} to ${c.toPerson} (${c.validFrom}–${c.validTo})` }]);
      }
      const created = await this.people.insertDelegation(tx, d, actorLabelOf(user));
      await appendApiEvent(tx, {
        requestId, workflowId: null, action: 'api.delegation.created', actor: actorLabelOf(user),
        payload: { delegationId: created.id, fromPerson: d.fromPerson, toPerson: d.toPerson, organisation: d.organisation, role: d.role, validFrom: d.validFrom, validTo: d.validTo },
      });
      return created;
    });
  }

  /** A token scoped to an organisation sees the delegations of roles in that organisation only. */
  async delegationsOf(query: Record<string, unknown>, user: TokenOwner): Promise<{ items: Delegation[] }> {
    const person = parseBody(z.object({ person: personIdSchema }), query).person;
    const items = await this.people.delegationsOf(this.pool, person);
    return { items: user.organisation ? items.filter((d) => d.organisation === user.organisation) : items };
  }

  /** How a person gets their mail; an admin or the person themselves may read it. */
  async notifyPreference(id: string, user: TokenOwner): Promise<{ personId: string; notify: NotifyMode }> {
    await this.mayManageOwn(id, user);
    const notify = await this.people.notifyOf(this.pool, id);
    if (!notify) throw ApiError.notFound(`person ${id}`);
    return { personId: id, notify };
  }

  /** immediate: each mail at once; daily: one digest per Helsinki day. An admin, or the person themselves. */
  async setNotifyPreference(id: string, body: unknown, user: TokenOwner, requestId: string): Promise<{ personId: string; notify: NotifyMode }> {
    await this.mayManageOwn(id, user);
    const { notify } = parseBody(notifyPreferenceSchema, body);
    return withTransaction(this.pool, async (tx) => {
      if (!(await this.people.setNotify(tx, id, notify))) throw ApiError.notFound(`person ${id}`);
      await appendApiEvent(tx, { requestId, workflowId: null, action: 'api.person.notify.set', actor: actorLabelOf(user), payload: { personId: id, notify } });
      return { personId: id, notify };
    });
  }

  /** The person themselves, or an admin (a scoped admin: of people with a role in its organisation, else 404 as in get). */
  private async mayManageOwn(id: string, user: TokenOwner): Promise<void> {
    if (user.personId === id) return;
    if (user.role !== 'admin') throw ApiError.forbidden('only an admin or the person themselves may do this');
    if (user.organisation && !(await this.people.rolesOf(this.pool, [id])).some((r) => r.organisation === user.organisation)) {
      throw ApiError.notFound(`person ${id}`);
    }
  }

  private async mustExist(db: Queryable, id: string, what: string): Promise<Person> {
    const p = await this.people.find(db, id);
    if (!p) throw ApiError.notFound(`${what} ${id}`);
    return p;
  }

  private async viewIn(db: Queryable, id: string): Promise<PersonView> {
    const p = await this.mustExist(db, id, 'person');
    return { ...p, roles: await this.people.rolesOf(db, [id]) };
  }

  /** E-mail addresses are for admins (who maintain the directory) and the person themselves. */
  private present<T extends PersonView>(p: T, user: TokenOwner): T {
    return user.role === 'admin' || user.personId === p.id ? p : { ...p, email: null };
  }
}

function invalid(issues: { path: string; message: string }[]): ApiError {
  return ApiError.badRequest(issues.map((i) => `${i.path}: ${i.message}`).join('; '), issues);
}
