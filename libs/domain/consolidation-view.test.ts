import { consolidationInputSchema, planConsolidation, type CentreArea } from './consolidation';
import { consolidationView } from './consolidation-view';
import type { ApprovalView } from './progress';

const [SOCCA, STAITO, VERSO, HUS, THL] = ['2077474-0', '1572860-0', '0737546-2', '1234567-1', '2229500-6'];
const [M1, M2, M3, M4, M5] = ['9400010-7', '9400020-3', '9400031-8', '9400040-6', '9400050-2'];

/** A chain of bodies named by their keys. */
const chain = (...keys: string[]) => keys.map((key) => ({ key, body: key }));
const input = consolidationInputSchema.parse({
  slug: 'view', effectiveDate: '2027-01-01', feasibility: { owner: 'preparation group' },
  receiving: { kind: 'existing', businessId: SOCCA, region: 'Uusimaa' },
  host: { businessId: HUS, label: 'HUS', decisionChain: chain('hus-board') },
  parties: [
    { businessId: SOCCA, label: 'Socca', joins: 'whole', decisionChain: chain('socca-steering-group') },
    { businessId: STAITO, label: 'Sosiaalitaito', joins: 'whole', decisionChain: chain('board'), staff: ['ST-1', 'ST-2'] },
    { businessId: VERSO, label: 'Verso', joins: 'part', municipalities: [M3, M4], decisionChain: chain('verso-board', 'joint-authority-council'), projects: [{ code: 'S21901', funder: THL }] },
  ],
});
const m = (businessId: string, population: number, areaKm2: number) => ({ businessId, population, areaKm2 });
const centres: CentreArea[] = [
  { centre: SOCCA, municipalities: [m(M1, 600_000, 200)] },
  { centre: STAITO, municipalities: [m(M2, 300_000, 2_000)] },
  { centre: VERSO, municipalities: [m(M3, 50_000, 600), m(M4, 20_000, 800), m(M5, 120_000, 450)] },
];
const plan = planConsolidation(input, centres);

describe('consolidationView', () => {
  it('before the decisions open: every chain in its order, not open; nothing transferred; the host last', () => {
    const v = consolidationView('consolidation:uusimaa-2027', input, plan, [], []);
    expect(v.parties.map((p) => [p.label, p.role, p.chain.map((s) => `${s.key}:${s.status}`)])).toEqual([
      ['Socca', 'receiving', ['socca-steering-group:not-open']],
      ['Sosiaalitaito', 'absorbed', ['board:not-open']],
      ['Verso', 'carve-out', ['verso-board:not-open', 'joint-authority-council:not-open']],
      ['HUS', 'host', ['hus-board:not-open']],
    ]);
    expect(v.parties.map((p) => p.transfers)).toEqual([
      null,
      { staff: { total: 2, transferred: 0, kept: 0 }, agreements: { total: 0, transferred: 0, kept: 0 }, projects: { total: 0, transferred: 0, kept: 0 } },
      { staff: { total: 0, transferred: 0, kept: 0 }, agreements: { total: 0, transferred: 0, kept: 0 }, projects: { total: 1, transferred: 0, kept: 0 } },
      null,
    ]);
  });

  it('takes each body’s status, dates and reference from its approval, its names from the registry, and the counts from the transfer log', () => {
    const approvals: ApprovalView[] = [
      { gate: 'decisions/verso-board', party: VERSO, body: 'verso-board', status: 'approved', dueAt: '2026-12-01T00:00:00.000Z', decidedAt: '2026-10-14T10:00:00.000Z', reference: 'Hallitus 9/§ 5' },
      { gate: 'decisions/joint-authority-council', party: VERSO, body: 'joint-authority-council', status: 'pending', dueAt: '2026-12-01T00:00:00.000Z' },
    ];
    const v = consolidationView('c', input, plan, approvals, [
      { partyId: STAITO, kind: 'staff', transferred: 2, kept: 0 },
      { partyId: VERSO, kind: 'project', transferred: 0, kept: 1 },
    ], [
      { organisationId: VERSO, bodyKey: 'verso-board', name: 'Verson johtokunta', nameSv: 'Versos direktion', nameEn: null },
      // Another organisation's body of the same key names nothing here.
      { organisationId: STAITO, bodyKey: 'joint-authority-council', name: 'Muu valtuusto', nameSv: null, nameEn: null },
    ]);
    const verso = v.parties.find((p) => p.businessId === VERSO);
    expect(verso?.chain).toEqual([
      {
        key: 'verso-board', body: 'verso-board', status: 'approved', dueAt: '2026-12-01T00:00:00.000Z', decidedAt: '2026-10-14T10:00:00.000Z', reference: 'Hallitus 9/§ 5',
        names: { fi: 'Verson johtokunta', sv: 'Versos direktion', en: null },
      },
      { key: 'joint-authority-council', body: 'joint-authority-council', status: 'pending', dueAt: '2026-12-01T00:00:00.000Z', decidedAt: null, reference: null, names: null },
    ]);
    expect(verso?.transfers?.projects).toEqual({ total: 1, transferred: 0, kept: 1 });
    expect(v.parties.find((p) => p.businessId === STAITO)?.transfers?.staff).toEqual({ total: 2, transferred: 2, kept: 0 });
  });

  it('the carve-out moves the named municipalities and keeps the rest; the funding rows pair before and after, the absorbed centre with none after', () => {
    const v = consolidationView('c', input, plan, [], []);
    expect(v.parties.find((p) => p.businessId === VERSO)?.municipalities).toEqual({ moving: [M3, M4], staying: [M5] });
    expect(v.parties.find((p) => p.businessId === STAITO)?.municipalities).toEqual({ moving: [M2], staying: [] });
    const rows = v.funding?.rows ?? [];
    expect(rows.map((r) => [r.centre, r.before !== null, r.after !== null])).toEqual([[SOCCA, true, true], [STAITO, true, false], [VERSO, true, true]]);
    expect(rows.reduce((n, r) => n + (r.after?.cents ?? 0), 0)).toBe(input.stateAid.totalCents);
    // Everything the view names, once each (the receiving centre's own municipalities are not shown).
    expect(v.organisationIds).toEqual([SOCCA, STAITO, M2, VERSO, M3, M4, M5, HUS]);
  });
});
