import { z } from 'zod';
import { businessIdSchema, isoDateSchema } from './schemas';

/** Pseudonymous person ids: lower-case letters, digits and dashes, never a name or an e-mail address. */
export const personIdSchema = z
  .string()
  .regex(/^[a-z0-9][a-z0-9-]{2,39}$/, 'must be a pseudonymous id of 3 to 40 lower-case letters, digits and dashes');

export const LANGUAGES = ['fi', 'sv', 'en'] as const;

/**
 * The roles people hold in organisations. `body` (on the role row) says which deciding body a role
 * sits in where that matters, e.g. a board member of Socom sits in body "board".
 */
export const ROLE_KEYS = [
  'board-member',
  'board-chair',
  'board-secretary',
  'council-member',
  'council-secretary',
  'steering-group-member',
  'funder-contact',
  'signatory',
  'finance',
  'project-contact',
] as const;
export type RoleKey = (typeof ROLE_KEYS)[number];
export const roleKeySchema = z.enum(ROLE_KEYS, { message: `must be one of ${ROLE_KEYS.join(', ')}` });

/** The roles that decide as members of a body (a quorum counts their votes). */
export const DECIDING_ROLES: readonly RoleKey[] = ['board-member', 'board-chair', 'council-member', 'steering-group-member', 'funder-contact'];

export const personInputSchema = z.object({
  id: personIdSchema,
  displayName: z.string().trim().min(1).max(200),
  email: z.email({ message: 'must be an e-mail address' }).max(320).optional(),
  language: z.enum(LANGUAGES, { message: 'must be fi, sv or en' }),
});
export type PersonInput = z.infer<typeof personInputSchema>;

export const roleInputSchema = z
  .object({
    organisation: businessIdSchema,
    role: roleKeySchema,
    body: z.string().regex(/^[a-z0-9][a-z0-9-]{0,99}$/, 'must be a body key such as "board"').optional(),
    validFrom: isoDateSchema,
    validTo: isoDateSchema.optional(),
  })
  .refine((r) => !r.validTo || r.validTo >= r.validFrom, { path: ['validTo'], message: 'must not be before validFrom' });
export type RoleInput = z.infer<typeof roleInputSchema>;

export const delegationInputSchema = z.object({
  fromPerson: personIdSchema,
  toPerson: personIdSchema,
  organisation: businessIdSchema,
  role: roleKeySchema,
  validFrom: isoDateSchema,
  validTo: isoDateSchema,
});
export type DelegationInput = z.infer<typeof delegationInputSchema>;

export type Person = { id: string; displayName: string | null; email: string | null; language: string; erasedAt: string | null };
export type PersonRole = { id: number; personId: string; organisation: string; role: RoleKey; body: string | null; validFrom: string; validTo: string | null };
export type Delegation = {
  id: number; fromPerson: string; toPerson: string; organisation: string; role: RoleKey; validFrom: string; validTo: string; createdBy: string;
};

export type Issue = { path: string; message: string };

/**
 * The date rules of a delegation that need no database: not to oneself, not starting in the past
 * (`today` is the caller's date, YYYY-MM-DD, so tests need not depend on the wall clock), not ending
 * before it starts, and no longer than a year (a substitute is for an absence, not a transfer of office).
 */
export function delegationDateIssues(d: DelegationInput, today: string): Issue[] {
  const issues: Issue[] = [];
  if (d.fromPerson === d.toPerson) issues.push({ path: 'toPerson', message: 'a person cannot delegate to themselves' });
  if (d.validFrom < today) issues.push({ path: 'validFrom', message: `must not be in the past (today is ${today})` });
  if (d.validTo < d.validFrom) issues.push({ path: 'validTo', message: 'must not be before validFrom' });
  else if (daysBetween(d.validFrom, d.validTo) > 366) issues.push({ path: 'validTo', message: 'a delegation lasts at most a year' });
  return issues;
}

/** True when the date ranges [aFrom, aTo] and [bFrom, bTo] (inclusive; a missing end is open) share a day. */
export function rangesOverlap(aFrom: string, aTo: string | null, bFrom: string, bTo: string | null): boolean {
  return (bTo === null || aFrom <= bTo) && (aTo === null || bFrom <= aTo);
}

function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);
}
