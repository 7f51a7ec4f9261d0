import type { Queryable } from '../../libs/db/pool';
import { ConsolidationRepository } from '../../libs/db/repositories/consolidation.repository';
import { RegistryRepository, type OrganisationRow } from '../../libs/db/repositories/registry.repository';
import { carveOut, type ConsolidationInput } from '../../libs/domain/consolidation';
import { dayBefore } from '../../libs/domain/duration';

/** Kinds of organisation that can be a party of a consolidation. */
export const CENTRE_KINDS = ['centre', 'company'] as const;

export type RegistryIssue = { path: string; message: string };

function activeOn(o: OrganisationRow, day: string): boolean {
  return o.validFrom <= day && (o.validTo === null || o.validTo >= day);
}

/**
 * What the registry says against a consolidation, field by field: every party must be a centre that
 * is active on the effective date (the consolidation is what ends it, the day before), a part may name only
 * municipalities its party serves, a new receiving centre's business ID must be free, the host must
 * exist. The API answers these with 400 before anything starts; the workflow's first activity checks again.
 */
export async function consolidationRegistryIssues(db: Queryable, input: ConsolidationInput): Promise<RegistryIssue[]> {
  const registry = new RegistryRepository();
  const areas = new ConsolidationRepository();
  const lastDay = dayBefore(input.effectiveDate);
  const issues: RegistryIssue[] = [];
  for (const [n, p] of input.parties.entries()) {
    const path = `parties.${n}.businessId`;
    const org = await registry.organisation(db, p.businessId);
    if (!org) {
      issues.push({ path, message: `${p.label} (${p.businessId}) is not in the registry` });
      continue;
    }
    if (!(CENTRE_KINDS as readonly string[]).includes(org.kind)) {
      issues.push({ path, message: `${org.name} is a ${org.kind}, not a centre of expertise` });
      continue;
    }
    if (!activeOn(org, input.effectiveDate)) {
      issues.push({ path, message: `${org.name} is not active on the effective date ${input.effectiveDate}` });
      continue;
    }
    if (p.joins === 'part' && p.municipalities.length > 0) {
      const cut = carveOut(await areas.served(db, p.businessId, lastDay), p.municipalities);
      for (const m of cut.notServed) {
        issues.push({ path: `parties.${n}.municipalities.${p.municipalities.indexOf(m)}`, message: `${org.name} does not serve ${m}` });
      }
    }
  }
  const receiving = await registry.organisation(db, input.receiving.businessId);
  if (input.receiving.kind === 'new' && receiving) {
    issues.push({ path: 'receiving.businessId', message: `is already taken by ${receiving.name}` });
  }
  if (input.host) {
    const host = await registry.organisation(db, input.host.businessId);
    if (!host) issues.push({ path: 'host.businessId', message: `${input.host.label} is not in the registry` });
    else if (!activeOn(host, input.effectiveDate)) issues.push({ path: 'host.businessId', message: `${host.name} is not active on the effective date ${input.effectiveDate}` });
  }
  return issues;
}
