import type { WorkflowClientInterceptor } from '@temporalio/client';
import type { ActivityInboundCallsInterceptor, ActivityInterceptorsFactory } from '@temporalio/worker';
import type { Pool } from 'pg';
import { seal, unseal } from '../crypto/sealing';
import { PersonalKeysRepository } from '../db/repositories/personal-keys.repository';
import { ERASED_VALUE, forEachPersonal, hasPersonal, isSealed, mapPersonal } from '../domain/personal-data';
import { actorLabel, onBehalfLabel, type Actor } from '../domain/progress';

const keys = new PersonalKeysRepository();

/**
 * Personal free text (PERSONAL_KEYS: a decision's comment, a note) is sealed on its way into Temporal, so
 * its histories and their archive hold only ciphertext under a key per workflow and author, and opened in
 * the worker before an activity sees it. The workflow code only carries the values; it never reads them,
 * so a history replays whether its keys still exist or not. Erasing an author's personal data shreds the
 * key (PersonalKeysRepository.shred): what was sealed under it then reads as ERASED_VALUE.
 */
export function sealingClientInterceptor(pool: Pool): WorkflowClientInterceptor {
  const sealArgs = async (workflowId: string, args: unknown[]): Promise<unknown[]> => {
    if (!hasPersonal(args)) return args;
    const author = authorOf(args[0]);
    const key = await keys.keyFor(pool, workflowId, author);
    // Everything is sealed, a value shaped like a sealed one too: what a caller sends is only ever data.
    return mapPersonal(args, (v) => seal(v, key.keyId, key.secret)) as unknown[];
  };
  return {
    async start(input, next) {
      return next({ ...input, options: { ...input.options, args: await sealArgs(input.options.workflowId, input.options.args) } });
    },
    async startWithDetails(input, next) {
      return next({ ...input, options: { ...input.options, args: await sealArgs(input.options.workflowId, input.options.args) } });
    },
    async startUpdate(input, next) {
      return next({ ...input, args: await sealArgs(input.workflowExecution.workflowId, input.args) });
    },
    async signal(input, next) {
      return next({ ...input, args: await sealArgs(input.workflowExecution.workflowId, input.args) });
    },
    async signalWithStart(input, next) {
      return next({ ...input, signalArgs: await sealArgs(input.options.workflowId, input.signalArgs) });
    },
  };
}

/** Opens the sealed values in an activity's arguments; one whose key is shredded reads as ERASED_VALUE. */
export function openingActivityInterceptor(pool: Pool): ActivityInterceptorsFactory {
  const inbound: ActivityInboundCallsInterceptor = {
    async execute(input, next) {
      return next({ ...input, args: await openSealed(pool, input.args) as unknown[] });
    },
  };
  return () => ({ inbound });
}

/** A value with its sealed personal values opened (each key read once). */
export async function openSealed(pool: Pool, value: unknown): Promise<unknown> {
  const kids = new Set<string>();
  forEachPersonal(value, (v) => {
    if (isSealed(v)) kids.add(v.kid);
  });
  if (kids.size === 0) return value;
  const secrets = new Map<string, Buffer | null>();
  for (const kid of kids) secrets.set(kid, (await keys.key(pool, kid))?.secret ?? null);
  return mapPersonal(value, (v) => {
    if (!isSealed(v)) return v;
    const secret = secrets.get(v.kid);
    return (secret ? unseal(v, secret) : undefined) ?? ERASED_VALUE;
  });
}

/** The author of an update's or signal's values: its actor, as the audit trail labels it ("B for A" for a substitute). */
function authorOf(first: unknown): string | null {
  if (first === null || typeof first !== 'object') return null;
  const { actor, onBehalfOf } = first as { actor?: Actor; onBehalfOf?: string | null };
  if (!actor || typeof actor.name !== 'string' || typeof actor.role !== 'string') return null;
  return onBehalfLabel(actorLabel(actor), onBehalfOf);
}
