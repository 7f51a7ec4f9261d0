import { partyRole, type ConsolidationInput, type ConsolidationPlan, type PartyRole } from './consolidation';
import type { ApprovalStatus, ApprovalView } from './progress';
import type { GoverningBody, NamedOrganisation } from './registry-names';
import type { FundingShare } from './state-aid';

/**
 * What the dashboard's consolidation view shows (GET /api/workflows/{id}/consolidation): each party's
 * decision chain in its order, its transfers as counts, what a carve-out moves and keeps, and every
 * centre's base-funding share before and after. Built from the launch input, the plan the *prepared*
 * stage computes from the registry, the workflow's approvals and the transfer log.
 */

/** A body in a chain: `not-open` until the decisions stage opens the gate. */
export type ChainStepView = {
  key: string;
  body: string;
  status: ApprovalStatus | 'not-open';
  dueAt: string | null;
  decidedAt: string | null;
  reference: string | null;
  /** The body's names from the registry (Finnish, Swedish, English), where it has them; else the launch's `body` stands. */
  names: { fi: string; sv: string | null; en: string | null } | null;
};

export type TransferCount = { total: number; transferred: number; kept: number };

export type PartyView = {
  businessId: string;
  label: string;
  role: PartyRole | 'host';
  chain: ChainStepView[];
  /** What the party hands over (none for the receiving centre and the host). */
  transfers: { staff: TransferCount; agreements: TransferCount; projects: TransferCount } | null;
  /** The municipalities that move to the receiving centre and those that stay with the party. */
  municipalities: { moving: string[]; staying: string[] } | null;
  /** Activities a part takes with it (a carve-out of activities rather than of municipalities). */
  activities: string[];
};

export type FundingRow = { centre: string; before: FundingShare | null; after: FundingShare | null };

export type ConsolidationView = {
  workflowId: string;
  effectiveDate: string;
  receiving: { businessId: string; kind: 'existing' | 'new'; region: string };
  parties: PartyView[];
  funding: { totalCents: number; rows: FundingRow[] } | null;
  fundingNote: string | null;
  /** Every business ID the view names, for the caller to attach names to. */
  organisationIds: string[];
};

export type { NamedOrganisation };
/** As the API answers: the view with the registry's names of the organisations it mentions. */
export type ConsolidationAnswer = Omit<ConsolidationView, 'organisationIds'> & { names: Record<string, NamedOrganisation> };

export type TransferTally = { partyId: string; kind: string; transferred: number; kept: number };

export function consolidationView(
  workflowId: string,
  input: ConsolidationInput,
  plan: ConsolidationPlan,
  approvals: readonly ApprovalView[],
  tally: readonly TransferTally[],
  bodies: readonly GoverningBody[] = [],
): ConsolidationView {
  const chainOf = (party: string, chain: readonly { key: string; body: string }[]): ChainStepView[] =>
    chain.map((b) => {
      const a = approvals.find((x) => x.gate === `decisions/${b.key}` && x.party === party);
      const named = bodies.find((x) => x.organisationId === party && x.bodyKey === b.key);
      return {
        key: b.key, body: b.body, status: a?.status ?? 'not-open', dueAt: a?.dueAt ?? null, decidedAt: a?.decidedAt ?? null, reference: a?.reference ?? null,
        names: named ? { fi: named.name, sv: named.nameSv, en: named.nameEn } : null,
      };
    });
  const count = (party: string, kind: string, total: number): TransferCount => {
    const t = tally.find((x) => x.partyId === party && x.kind === kind);
    return { total, transferred: t?.transferred ?? 0, kept: t?.kept ?? 0 };
  };
  const parties: PartyView[] = input.parties.map((p) => {
    const role = partyRole(input, p);
    const cut = plan.carveOuts.find((c) => c.party === p.businessId);
    return {
      businessId: p.businessId,
      label: p.label,
      role,
      chain: chainOf(p.businessId, p.decisionChain),
      transfers: role === 'receiving' ? null : {
        staff: count(p.businessId, 'staff', p.staff.length),
        agreements: count(p.businessId, 'agreement', p.agreements.length),
        projects: count(p.businessId, 'project', p.projects.length),
      },
      municipalities: cut ? { moving: cut.moving, staying: cut.staying } : null,
      activities: p.activities ?? [],
    };
  });
  if (input.host) {
    parties.push({
      businessId: input.host.businessId, label: input.host.label, role: 'host', chain: chainOf(input.host.businessId, input.host.decisionChain),
      transfers: null, municipalities: null, activities: [],
    });
  }
  const funding = plan.funding
    ? {
        totalCents: input.stateAid.totalCents,
        rows: [...new Set([...plan.funding.before, ...plan.funding.after].map((s) => s.key))].map((centre) => ({
          centre,
          before: plan.funding?.before.find((s) => s.key === centre) ?? null,
          after: plan.funding?.after.find((s) => s.key === centre) ?? null,
        })),
      }
    : null;
  const ids = [
    input.receiving.businessId,
    ...parties.flatMap((p) => [p.businessId, ...(p.municipalities?.moving ?? []), ...(p.municipalities?.staying ?? [])]),
    ...(funding?.rows.map((r) => r.centre) ?? []),
  ];
  return {
    workflowId,
    effectiveDate: input.effectiveDate,
    receiving: { businessId: input.receiving.businessId, kind: input.receiving.kind, region: input.receiving.region },
    parties,
    funding,
    fundingNote: plan.fundingNote,
    organisationIds: [...new Set(ids)],
  };
}
