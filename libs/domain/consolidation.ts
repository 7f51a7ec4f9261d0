/**
 * Consolidating regional centres of expertise (DOMAIN.md, process 1): the launch input, its business
 * key and the pure rules the workflow and its activities share (who is absorbed, what a carve-out
 * moves, combined population and area, the base-funding shares before and after).
 *
 * Staff appear only as pseudonymous references (e.g. "VERSO-S-004"): the schema refuses anything
 * that looks like a name, so no name can reach a workflow payload, a log line or a search attribute.
 *
 * Pure and deterministic (no clock except where a caller passes `today`), but it holds zod schemas: workflow
 * code imports the rules it needs from consolidation-rules.ts and business-keys.ts instead (no zod in the bundle).
 */
import { z } from 'zod';
import { isoDate, parseDuration } from './duration';
import { noPeopleHere } from './data-classification';
import { approvalPolicySchema, businessIdSchema, centsSchema, durationSchema, isoDateSchema } from './schemas';
import { partyRole, type PartyRole } from './consolidation-rules';
import { mergedShares, type FundingCentre, type MergedShares } from './state-aid';

export { consolidationBusinessKey } from './business-keys';
export {
  consolidationOrganisations, integrationDueDates, partyRole, transferringParties, type PartyRole,
} from './consolidation-rules';

/**
 * A deciding body in a party's chain: `key` is what decisions name, `body` its display name, and
 * `policy` where its members decide by name with a quorum (members from the directory when left out).
 */
export const chainBodySchema = z.object({
  key: z.string().regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, 'must be a key such as "verso-board" (lower-case letters, digits, hyphens)').max(60),
  body: z.string().trim().min(2).max(200),
  policy: approvalPolicySchema.optional(),
});

/** A pseudonymous staff reference: letters, digits and hyphens with at least one digit, so never a bare name. */
export const staffRefSchema = z
  .string()
  .regex(/^(?=.*\d)[A-Za-z0-9]+(-[A-Za-z0-9]+)*$/, 'must be a pseudonymous reference such as "VERSO-S-004" (with a digit), never a name')
  .max(40);

export const consolidationProjectSchema = z.object({
  code: z.string().regex(/^[A-Z0-9][A-Z0-9-]{1,39}$/, 'must be a project code such as "S20999"'),
  funder: businessIdSchema,
});

export const consolidationAgreementSchema = z.object({
  reference: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9/-]{1,79}$/, 'must be an agreement reference such as "SOP-2021-07"'),
  counterparty: businessIdSchema,
});

/**
 * How big a consolidation may be (a wellbeing services county has ~19,000 staff). Inline arrays travel in
 * the workflow input and stay small; an uploaded item list is stored in PostgreSQL and moved in batches.
 */
export const CONSOLIDATION_LIMITS = {
  parties: 30,
  staffPerParty: 25_000,
  agreementsPerParty: 5_000,
  itemsPerConsolidation: 100_000,
} as const;
const INLINE_STAFF = 500;
const INLINE_AGREEMENTS = 200;

/** One row of an uploaded item list: a staff reference, or an agreement with its counterparty. */
export const itemListRowSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('staff'), ref: staffRefSchema }).strict(),
  z.object({ kind: z.literal('agreement'), ref: consolidationAgreementSchema.shape.reference, counterparty: businessIdSchema }).strict(),
]);
export type ItemListRowInput = z.infer<typeof itemListRowSchema>;

export const consolidationPartySchema = z
  .object({
    businessId: businessIdSchema,
    /** Short display label used in titles and waiting-for lists, e.g. "Verso". */
    label: z.string().trim().min(2).max(80),
    joins: z.enum(['whole', 'part']),
    /** For a part: the municipalities whose service moves (business IDs). */
    municipalities: z.array(businessIdSchema).max(200).default([]),
    /** For a part: activities that move, e.g. "Swedish-language service development". */
    activities: z.array(z.string().trim().min(2).max(200)).max(50).default([]),
    decisionChain: z.array(chainBodySchema).min(1).max(6),
    /** Staff and agreements inline, for small parties; larger ones name an uploaded item list instead (`itemList`). */
    staff: z.array(staffRefSchema).max(INLINE_STAFF).default([]),
    projects: z.array(consolidationProjectSchema).max(100).default([]),
    agreements: z.array(consolidationAgreementSchema).max(INLINE_AGREEMENTS).default([]),
    /** An uploaded item list (`POST /api/consolidations/item-lists`) with the party's staff and agreements. */
    itemList: z.uuid('must be the id of an uploaded item list').optional(),
    /** Companies in whose share register the party's shares pass to the receiving centre. */
    shareholdings: z.array(z.object({ company: businessIdSchema })).max(50).default([]),
  })
  .superRefine((p, ctx) => {
    if (p.joins === 'part' && p.municipalities.length === 0 && p.activities.length === 0) {
      ctx.addIssue({ code: 'custom', path: ['municipalities'], message: 'a part must name the municipalities or activities that move' });
    }
    if (p.joins === 'whole' && p.municipalities.length > 0) {
      ctx.addIssue({ code: 'custom', path: ['municipalities'], message: 'a party that joins whole moves all it serves; name municipalities only for a part' });
    }
    repeated(p.municipalities).forEach((i) => ctx.addIssue({ code: 'custom', path: ['municipalities', i], message: 'is named twice' }));
    repeated(p.staff).forEach((i) => ctx.addIssue({ code: 'custom', path: ['staff', i], message: 'is named twice' }));
    repeated(p.projects.map((x) => x.code)).forEach((i) => ctx.addIssue({ code: 'custom', path: ['projects', i, 'code'], message: 'is named twice' }));
    repeated(p.agreements.map((x) => x.reference)).forEach((i) =>
      ctx.addIssue({ code: 'custom', path: ['agreements', i, 'reference'], message: 'is named twice' }),
    );
    repeated(p.shareholdings.map((x) => x.company)).forEach((i) =>
      ctx.addIssue({ code: 'custom', path: ['shareholdings', i, 'company'], message: 'is named twice' }),
    );
    repeated(p.decisionChain.map((b) => b.key)).forEach((i) =>
      ctx.addIssue({ code: 'custom', path: ['decisionChain', i, 'key'], message: 'is named twice in the chain' }),
    );
  });

export const receivingSchema = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('existing'),
    /** A party of the consolidation (joining whole) that absorbs the others. */
    businessId: businessIdSchema,
    /** Its area from the effective date, e.g. "Uusimaa". */
    region: z.string().trim().min(2).max(100),
  }),
  z.object({
    kind: z.literal('new'),
    businessId: businessIdSchema,
    name: z.string().trim().min(2).max(200),
    region: z.string().trim().min(2).max(100),
  }),
]);

/** The host that decides last, once every party's chain is approved (Uusimaa: the HUS board). */
export const consolidationHostSchema = z.object({
  businessId: businessIdSchema,
  label: z.string().trim().min(2).max(80),
  decisionChain: z.array(chainBodySchema).min(1).max(6),
});

export const integrationTaskSchema = z.object({
  key: z.string().regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, 'must be a key such as "websites"').max(60),
  title: z.string().trim().min(2).max(200).describe(noPeopleHere('what is to be done')),
  owner: z.string().trim().min(2).max(120).describe(noPeopleHere('a role or a unit, e.g. "Communications"')),
  /** Due this many days after the effective date. */
  dueDays: z.number().int().min(1).max(730),
});
export type IntegrationTask = z.infer<typeof integrationTaskSchema>;

/** The post-merger checklist DOMAIN.md lists; owners are roles, due dates count from the effective date. */
export const DEFAULT_INTEGRATION_TASKS: IntegrationTask[] = [
  { key: 'information-management', title: 'Shared information management', owner: 'Head of information management', dueDays: 90 },
  { key: 'communication-websites', title: 'Communication and websites', owner: 'Communications', dueDays: 60 },
  { key: 'joint-training', title: 'Joint webinars and workshops', owner: 'Development managers', dueDays: 120 },
  { key: 'swedish-language-services', title: 'Swedish-language services', owner: 'Swedish-language services lead', dueDays: 120 },
  { key: 'university-cooperation', title: 'University cooperation across the new region', owner: 'Research coordinator', dueDays: 180 },
];

const consolidationObject = z.object({
  /** The readable part of the business key: `consolidation:<slug>`. */
  slug: z.string().regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, 'must be lower-case letters, digits and hyphens, e.g. "uusimaa-2027"').max(80),
  parties: z.array(consolidationPartySchema).min(2, 'a consolidation needs at least two parties').max(CONSOLIDATION_LIMITS.parties),
  receiving: receivingSchema,
  host: consolidationHostSchema.optional(),
  effectiveDate: isoDateSchema,
  feasibility: z.object({ owner: z.string().trim().min(2).max(120).describe(noPeopleHere('a role or a unit that runs the study')), deadline: durationSchema.default('120 days') }),
  decisions: z.object({ deadline: durationSchema.default('180 days'), reminders: z.array(durationSchema).max(5).default(['14 days', '2 days']) }).prefault({}),
  /** Days the funders have to consent to their projects' transfer. */
  consentDeadline: durationSchema.default('60 days'),
  integration: z.array(integrationTaskSchema).min(1).max(30).default(DEFAULT_INTEGRATION_TASKS),
  stateAid: z
    .object({ totalCents: centsSchema().default(350_000_000), populationWeight: z.number().min(0).max(1).default(0.5) })
    .prefault({}),
});

function checkStructure(i: z.infer<typeof consolidationObject>, ctx: z.RefinementCtx): void {
  const ids = i.parties.map((p) => p.businessId);
  repeated(ids).forEach((n) => ctx.addIssue({ code: 'custom', path: ['parties', n, 'businessId'], message: 'the same party is given twice' }));
  if (i.receiving.kind === 'existing') {
    const receiving = i.parties.find((p) => p.businessId === i.receiving.businessId);
    if (!receiving) ctx.addIssue({ code: 'custom', path: ['receiving', 'businessId'], message: 'an existing receiving centre must be one of the parties' });
    else if (receiving.joins !== 'whole') ctx.addIssue({ code: 'custom', path: ['receiving', 'businessId'], message: 'the receiving centre cannot be a part' });
  } else if (ids.includes(i.receiving.businessId)) {
    ctx.addIssue({ code: 'custom', path: ['receiving', 'businessId'], message: 'a new receiving centre cannot also be a party' });
  }
  if (i.host && ids.includes(i.host.businessId)) {
    ctx.addIssue({ code: 'custom', path: ['host', 'businessId'], message: 'the host decides last and cannot also be a party' });
  }
  repeated(i.integration.map((t) => t.key)).forEach((n) => ctx.addIssue({ code: 'custom', path: ['integration', n, 'key'], message: 'is named twice' }));
  // A staff member, project or agreement belongs to one party: each moves once, and each project has one consent gate.
  const items = i.parties.flatMap((p, pi) => [
    ...p.staff.map((ref, n) => ({ key: `staff ${ref}`, path: ['parties', pi, 'staff', n] })),
    ...p.projects.map((x, n) => ({ key: `project ${x.code}`, path: ['parties', pi, 'projects', n, 'code'] })),
    ...p.agreements.map((x, n) => ({ key: `agreement ${x.reference}`, path: ['parties', pi, 'agreements', n, 'reference'] })),
  ]);
  const seen = new Set<string>();
  for (const item of items) {
    if (seen.has(item.key)) ctx.addIssue({ code: 'custom', path: item.path, message: `the same ${item.key.split(' ')[0]} is in two parties` });
    seen.add(item.key);
  }
}

/** The input as the workflow and its activities validate it (no clock: a retry after the effective date still passes). */
export const consolidationInputSchema = consolidationObject.superRefine(checkStructure);
export type ConsolidationInput = z.infer<typeof consolidationInputSchema>;
export type ConsolidationParty = ConsolidationInput['parties'][number];

/** What `POST /api/workflows/consolidation` accepts: the input, with an effective date no earlier than today (UTC). */
export const consolidationLaunchSchema = consolidationObject.superRefine((i, ctx) => {
  checkStructure(i, ctx);
  const now = Date.now();
  const today = isoDate(now);
  if (i.effectiveDate < today) {
    ctx.addIssue({ code: 'custom', path: ['effectiveDate'], message: `is in the past (today is ${today})` });
    return;
  }
  const prepared = preparationEnds(i, now);
  if (prepared !== null && prepared >= i.effectiveDate) {
    ctx.addIssue({
      code: 'custom',
      path: ['decisions', 'deadline'],
      message: `the study (${i.feasibility.deadline}), the decisions (${i.decisions.deadline}) and the funders' consents (${i.consentDeadline}) `
        + `could run to ${prepared}, not before the effective date ${i.effectiveDate}: shorten them or move the effective date`,
    });
  }
});

// ---- event payloads (the API checks them; the workflow keeps its own zod-free checks) ------------

export const studyCompletedPayloadSchema = z.object({
  // The workflow checks the findings as text and keeps them in its result: they cannot be sealed.
  findings: z.string().max(5000).refine((f) => f.trim().length >= 3, 'the study\'s findings, 3 to 5000 characters')
    .describe(noPeopleHere("the study's findings")),
});
export const taskCompletedPayloadSchema = z.object({ task: z.string().min(1, 'one of the checklist tasks').max(60) });
export const tasksClosedPayloadSchema = z.object({
  reason: z.string().max(2000).refine((r) => r.trim().length >= 3, 'why the remaining tasks are closed, at least 3 characters')
    .describe(noPeopleHere('why the remaining tasks are closed')),
});

/**
 * The last day the preparation may take when every deadline is used in full, from `nowMs`: the study,
 * then the decisions, then the funders' consents. Everything must be settled before the effective date,
 * or the registry changes would take effect before anyone decided them. Null when a deadline is not a duration.
 */
export function preparationEnds(
  i: { feasibility: { deadline: string }; decisions: { deadline: string }; consentDeadline: string },
  nowMs: number,
): string | null {
  const parts = [i.feasibility.deadline, i.decisions.deadline, i.consentDeadline].map(parseDuration);
  if (parts.some((ms) => ms === null)) return null;
  return isoDate(nowMs + parts.reduce<number>((sum, ms) => sum + (ms ?? 0), 0));
}

export type MunicipalityCarveOut = {
  /** Municipalities that move to the receiving centre. */
  moving: string[];
  /** Municipalities that stay with the party. */
  staying: string[];
  /** Named municipalities the party does not serve (a carve-out must name none). */
  notServed: string[];
};

/** What a part takes with it: the named municipalities it serves move, the rest stay (input order kept). */
export function carveOut(served: readonly string[], named: readonly string[]): MunicipalityCarveOut {
  const servedSet = new Set(served);
  const namedSet = new Set(named);
  return {
    moving: named.filter((m) => servedSet.has(m)),
    staying: served.filter((m) => !namedSet.has(m)),
    notServed: named.filter((m) => !servedSet.has(m)),
  };
}

/** Where a municipality's population and area are unknown, they count as 0 and are listed. */
export type MunicipalityFigures = { businessId: string; population: number | null; areaKm2: number | null };
export type AreaTotals = { population: number; areaKm2: number; municipalities: number; unknownFigures: string[] };

export function areaTotals(municipalities: readonly MunicipalityFigures[]): AreaTotals {
  const ids = [...new Set(municipalities.map((m) => m.businessId))];
  const byId = new Map(municipalities.map((m) => [m.businessId, m]));
  let population = 0;
  let area = 0;
  const unknown: string[] = [];
  for (const id of ids) {
    const m = byId.get(id);
    if (!m) continue;
    if (m.population === null || m.areaKm2 === null) unknown.push(id);
    population += m.population ?? 0;
    area += m.areaKm2 ?? 0;
  }
  return { population, areaKm2: Math.round(area * 100) / 100, municipalities: ids.length, unknownFigures: unknown };
}

/** A centre's service area on the day before the effective date, as the *prepared* stage reads it from the registry. */
export type CentreArea = { centre: string; municipalities: MunicipalityFigures[] };

export type ConsolidationPlan = {
  /** Per transferring party: the municipalities that move and stay. */
  carveOuts: { party: string; role: PartyRole; moving: string[]; staying: string[] }[];
  /** The receiving centre's area after the effective date. */
  receivingAfter: AreaTotals & { municipalityIds: string[] };
  /** Base-funding shares before and after (null with the reason when population and area are all unknown). */
  funding: MergedShares | null;
  fundingNote: string | null;
};

/**
 * The consolidation's effect on the map and on state aid: which municipalities move, the receiving
 * centre's combined population and area, and every centre's base-funding share before and after
 * (`mergedShares`: absorbed centres bring all they serve, a part only its moving municipalities).
 * `centres` are all centres with a service area before the effective date (the parties among them).
 */
export function planConsolidation(i: ConsolidationInput, centres: readonly CentreArea[]): ConsolidationPlan {
  const areaOf = (id: string) => centres.find((c) => c.centre === id)?.municipalities ?? [];
  const figures = new Map(centres.flatMap((c) => c.municipalities.map((m) => [m.businessId, m] as const)));
  const carveOuts: ConsolidationPlan['carveOuts'] = [];
  const gained: MunicipalityFigures[] = [...areaOf(i.receiving.businessId)];
  for (const p of i.parties) {
    const role = partyRole(i, p);
    if (role === 'receiving') continue;
    const served = areaOf(p.businessId).map((m) => m.businessId);
    const cut = role === 'absorbed' ? { moving: served, staying: [] } : carveOut(served, p.municipalities);
    carveOuts.push({ party: p.businessId, role, moving: cut.moving, staying: cut.staying });
    for (const id of cut.moving) {
      const f = figures.get(id);
      if (f) gained.push(f);
    }
  }
  const totals = areaTotals(gained);
  const receivingAfter = { ...totals, municipalityIds: [...new Set(gained.map((m) => m.businessId))] };

  const fundingCentres: FundingCentre[] = centres.map((c) => {
    const t = areaTotals(c.municipalities);
    return { key: c.centre, population: t.population, areaKm2: t.areaKm2 };
  });
  if (!fundingCentres.some((c) => c.key === i.receiving.businessId)) {
    fundingCentres.push({ key: i.receiving.businessId, population: 0, areaKm2: 0 });
  }
  const carved = carveOuts
    .filter((c) => c.role === 'carve-out' && fundingCentres.some((f) => f.key === c.party))
    .map((c) => {
      const t = areaTotals(c.moving.map((id) => figures.get(id)).filter((m): m is MunicipalityFigures => m !== undefined));
      return { from: c.party, population: t.population, areaKm2: t.areaKm2 };
    })
    .filter((c) => c.population > 0 || c.areaKm2 > 0);
  const absorbed = carveOuts.filter((c) => c.role === 'absorbed' && fundingCentres.some((f) => f.key === c.party)).map((c) => c.party);
  try {
    const funding = mergedShares(
      { centres: fundingCentres, totalCents: i.stateAid.totalCents, populationWeight: i.stateAid.populationWeight },
      { into: i.receiving.businessId, absorbed, carvedOut: carved },
    );
    return { carveOuts, receivingAfter, funding, fundingNote: null };
  } catch (e) {
    return { carveOuts, receivingAfter, funding: null, fundingNote: e instanceof Error ? e.message : String(e) };
  }
}

/** Indexes of values that repeat an earlier one. */
function repeated(values: readonly string[]): number[] {
  const seen = new Set<string>();
  const out: number[] = [];
  values.forEach((v, n) => {
    if (seen.has(v)) out.push(n);
    seen.add(v);
  });
  return out;
}
