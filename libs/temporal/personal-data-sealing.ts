import type { WorkflowClientInterceptor } from '@temporalio/client';
import type { ActivityInboundCallsInterceptor, ActivityInterceptorsFactory } from '@temporalio/worker';
import type { Pool } from 'pg';
import { seal, unseal } from '../crypto/sealing';
import { PersonalKeysRepository } from '../db/repositories/personal-keys.repository';
import { LAUNCH_KINDS } from '../domain/launch-kinds';
import { ERASED_VALUE, forEachSealed, hasPersonal, mapPersonal, mapSealed } from '../domain/personal-data';
import { actorLabel, onBehalfLabel, type Actor } from '../domain/progress';

const keys = new PersonalKeysRepository();

/** Event types whose payload a workflow reads, field by field, through its schema. */
const TYPED_EVENTS: ReadonlySet<string> = new Set(
  Object.values(LAUNCH_KINDS).flatMap((kind) => Object.keys((kind as { events?: Record<string, unknown> }).events ?? {})),
);

/**
 * Personal free text is sealed on its way into Temporal, so its histories and their archive hold only
 * ciphertext under a key per workflow and author, and opened in the worker before an activity sees it:
 * every PERSONAL_KEYS value (a decision's comment, a note), and the whole payload of an event of a type
 * without a schema (e.g. `subscription.signed` with `signedBy`), which no workflow reads. The workflow code
 * only carries these values, so a history replays whether its keys still exist or not. Erasing an
 * author's personal data shreds the key (PersonalKeysRepository.shred): what was sealed under it then
 * reads as ERASED_VALUE.
 */
export function sealingClientInterceptor(pool: Pool): WorkflowClientInterceptor {
  const sealArgs = async (workflowId: string, args: unknown[]): Promise<unknown[]> => {
    const untypedPayload = untypedEventPayload(args[0]);
    if (!untypedPayload && !hasPersonal(args)) return args;
    const author = authorOf(args[0]);
    const key = await keys.keyFor(pool, workflowId, author);
    const sealValue = (v: unknown) => seal(v, key.keyId, key.secret);
    const [first, ...rest] = args;
    // Everything is sealed, a value shaped like a sealed one too: what a caller sends is only ever data.
    const sealedFirst = untypedPayload ? { ...(first as object), payload: sealValue(untypedPayload) } : first;
    return mapPersonal([sealedFirst, ...rest], sealValue) as unknown[];
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

/** An event's payload that no workflow reads (its type has no schema), when it holds anything. */
function untypedEventPayload(first: unknown): Record<string, unknown> | undefined {
  if (first === null || typeof first !== 'object') return undefined;
  const { type, payload } = first as { type?: unknown; payload?: unknown };
  if (typeof type !== 'string' || TYPED_EVENTS.has(type)) return undefined;
  if (payload === null || typeof payload !== 'object' || Array.isArray(payload) || Object.keys(payload).length === 0) return undefined;
  return payload as Record<string, unknown>;
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
  forEachSealed(value, (v) => kids.add(v.kid));
  if (kids.size === 0) return value;
  const secrets = new Map<string, Buffer | null>();
  for (const kid of kids) secrets.set(kid, (await keys.key(pool, kid))?.secret ?? null);
  return mapSealed(value, (v) => {
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
