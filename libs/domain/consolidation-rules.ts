/**
 * Which parties of a consolidation move and who takes part, and when the integration tasks fall due:
 * the pure rules the consolidation workflow needs, zod-free so the workflow bundle stays without zod.
 * consolidation.ts re-exports them beside the launch schema.
 */
import type { ConsolidationInput, ConsolidationParty } from './consolidation';

export type PartyRole = 'receiving' | 'absorbed' | 'carve-out';

/** The receiving centre stays; a whole party is absorbed (it ends the day before); a part is carved out of a party that stays. */
export function partyRole(i: Pick<ConsolidationInput, 'receiving'>, p: Pick<ConsolidationParty, 'businessId' | 'joins'>): PartyRole {
  if (p.businessId === i.receiving.businessId) return 'receiving';
  return p.joins === 'whole' ? 'absorbed' : 'carve-out';
}

/** The parties whose staff, projects and agreements move (all but the receiving one), in input order. */
export function transferringParties(i: ConsolidationInput): ConsolidationParty[] {
  return i.parties.filter((p) => partyRole(i, p) !== 'receiving');
}

/** Every organisation a consolidation involves (for scoping tokens and the listing), without repeats. */
export function consolidationOrganisations(i: ConsolidationInput): string[] {
  const all = [...i.parties.map((p) => p.businessId), i.receiving.businessId, ...(i.host ? [i.host.businessId] : [])];
  return [...new Set(all)];
}

/** The checklist task keys in input order, with their due dates counted from the effective date. */
export function integrationDueDates(i: Pick<ConsolidationInput, 'integration' | 'effectiveDate'>): { key: string; dueDate: string }[] {
  const start = Date.parse(`${i.effectiveDate}T00:00:00Z`);
  return i.integration.map((t) => ({ key: t.key, dueDate: new Date(start + t.dueDays * 86_400_000).toISOString().slice(0, 10) }));
}
