import fc from 'fast-check';
import {
  areaTotals, carveOut, consolidationBusinessKey, consolidationInputSchema, consolidationLaunchSchema, consolidationOrganisations,
  integrationDueDates, partyRole, planConsolidation, preparationEnds, transferringParties, type CentreArea,
} from './consolidation';

// Valid business IDs (check digits computed by hand): parties, municipalities and the host.
const SOCCA = '2077474-0';
const STAITO = '1572860-0';
const VERSO = '0737546-2';
const HUS = '1234567-1';
const THL = '2229500-6';
const [M1, M2, M3, M4, M5] = ['9400010-7', '9400020-3', '9400031-8', '9400040-6', '9400050-2'];

function body(over: Record<string, unknown> = {}) {
  return {
    slug: 'uusimaa-2027',
    effectiveDate: '2027-01-01',
    parties: [
      { businessId: SOCCA, label: 'Socca', joins: 'whole', decisionChain: [{ key: 'socca-steering-group', body: 'Socca steering group' }] },
      { businessId: STAITO, label: 'Sosiaalitaito', joins: 'whole', decisionChain: [{ key: 'board', body: 'Sosiaalitaito board' }], staff: ['ST-1', 'ST-2'] },
      {
        businessId: VERSO, label: 'Verso', joins: 'part', municipalities: [M3, M4],
        decisionChain: [{ key: 'verso-board', body: 'Verso board' }, { key: 'joint-authority-council', body: 'Council' }],
        projects: [{ code: 'S21901', funder: THL }],
      },
    ],
    receiving: { kind: 'existing', businessId: SOCCA, region: 'Uusimaa' },
    host: { businessId: HUS, label: 'HUS', decisionChain: [{ key: 'hus-board', body: 'HUS board' }] },
    feasibility: { owner: 'joint preparation group' },
    ...over,
  };
}

function issues(schema: typeof consolidationInputSchema, value: unknown): string[] {
  const r = schema.safeParse(value);
  return r.success ? [] : r.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
}

describe('consolidationInputSchema', () => {
  it('accepts the Uusimaa shape and fills the defaults', () => {
    const input = consolidationInputSchema.parse(body());
    expect(consolidationBusinessKey(input)).toBe('consolidation:uusimaa-2027');
    expect(input.integration.map((t) => t.key)).toEqual([
      'information-management', 'communication-websites', 'joint-training', 'swedish-language-services', 'university-cooperation',
    ]);
    expect(input.decisions).toEqual({ deadline: '180 days', reminders: ['14 days', '2 days'] });
    expect(input.stateAid).toEqual({ totalCents: 350_000_000, populationWeight: 0.5 });
    expect(consolidationOrganisations(input)).toEqual([SOCCA, STAITO, VERSO, HUS]);
    expect(input.parties.map((p) => partyRole(input, p))).toEqual(['receiving', 'absorbed', 'carve-out']);
    expect(transferringParties(input).map((p) => p.label)).toEqual(['Sosiaalitaito', 'Verso']);
  });

  it('refuses the same party twice, a part naming nothing, a whole naming municipalities, and names for staff', () => {
    const twice = body();
    (twice.parties as unknown[]).push({ ...(twice.parties as Record<string, unknown>[])[1], staff: [] });
    expect(issues(consolidationInputSchema, twice)).toEqual(['parties.3.businessId: the same party is given twice']);

    const parts = body();
    const ps = parts.parties as Record<string, unknown>[];
    ps[2] = { ...ps[2], municipalities: [] };
    ps[1] = { ...ps[1], municipalities: [M1] };
    expect(issues(consolidationInputSchema, parts)).toEqual([
      'parties.1.municipalities: a party that joins whole moves all it serves; name municipalities only for a part',
      'parties.2.municipalities: a part must name the municipalities or activities that move',
    ]);

    const named = body();
    (named.parties as Record<string, unknown>[])[1] = { ...(named.parties as Record<string, unknown>[])[1], staff: ['Maija Meikäläinen'] };
    expect(issues(consolidationInputSchema, named)).toEqual([
      'parties.1.staff.0: must be a pseudonymous reference such as "VERSO-S-004" (with a digit), never a name',
    ]);
    const shared = body();
    const sp = shared.parties as Record<string, unknown>[];
    sp[1] = { ...sp[1], projects: [{ code: 'S21901', funder: THL }] };
    expect(issues(consolidationInputSchema, shared)).toEqual(['parties.2.projects.0.code: the same project is in two parties']);

    const bareName = body();
    (bareName.parties as Record<string, unknown>[])[1] = { ...(bareName.parties as Record<string, unknown>[])[1], staff: ['Maija'] };
    expect(issues(consolidationInputSchema, bareName)).toHaveLength(1);
  });

  it('needs a receiving organisation: an existing party joining whole, or a new centre that is no party', () => {
    const { receiving: _r, ...none } = body();
    expect(issues(consolidationInputSchema, none)[0]).toMatch(/^receiving: /);
    expect(issues(consolidationInputSchema, body({ receiving: { kind: 'existing', businessId: HUS, region: 'Uusimaa' } }))).toEqual([
      'receiving.businessId: an existing receiving centre must be one of the parties',
    ]);
    expect(issues(consolidationInputSchema, body({ receiving: { kind: 'existing', businessId: VERSO, region: 'Uusimaa' } }))).toEqual([
      'receiving.businessId: the receiving centre cannot be a part',
    ]);
    expect(issues(consolidationInputSchema, body({ receiving: { kind: 'new', businessId: SOCCA, name: 'Uusi keskus', region: 'Uusimaa' } }))).toEqual([
      'receiving.businessId: a new receiving centre cannot also be a party',
    ]);
    const fresh = consolidationInputSchema.parse(body({ receiving: { kind: 'new', businessId: '9900010-6', name: 'Uusi keskus', region: 'Uusimaa' } }));
    expect(fresh.parties.map((p) => partyRole(fresh, p))).toEqual(['absorbed', 'absorbed', 'carve-out']);
  });

  it('the launch schema refuses an effective date before today; the workflow schema does not look at the clock', () => {
    const past = body({ effectiveDate: '2023-01-01' });
    expect(issues(consolidationLaunchSchema, past)).toEqual([expect.stringMatching(/^effectiveDate: is in the past \(today is \d{4}-\d\d-\d\d\)$/)]);
    expect(issues(consolidationInputSchema, past)).toEqual([]);
    // Today leaves no time to prepare; a date beyond every deadline (120 + 180 + 60 days by default) is accepted.
    const today = new Date().toISOString().slice(0, 10);
    expect(issues(consolidationLaunchSchema, body({ effectiveDate: today }))).toEqual([expect.stringMatching(/^decisions\.deadline: .* not before the effective date/)]);
    const later = new Date(Date.now() + 400 * 86_400_000).toISOString().slice(0, 10);
    expect(issues(consolidationLaunchSchema, body({ effectiveDate: later }))).toEqual([]);
  });

  it('integration tasks fall due counted from the effective date', () => {
    const input = consolidationInputSchema.parse(body({ integration: [{ key: 'websites', title: 'Websites', owner: 'Communications', dueDays: 31 }] }));
    expect(integrationDueDates(input)).toEqual([{ key: 'websites', dueDate: '2027-02-01' }]);
  });
});

describe('carveOut', () => {
  it('moves the named municipalities the party serves, keeps the rest and lists the ones it does not serve', () => {
    expect(carveOut([M1, M2, M3, M4], [M3, M4, M5])).toEqual({ moving: [M3, M4], staying: [M1, M2], notServed: [M5] });
  });

  it('property: moving and staying split what the party serves, and nothing named is lost', () => {
    const ids = fc.uniqueArray(fc.string({ minLength: 1, maxLength: 4 }), { maxLength: 30 });
    fc.assert(
      fc.property(ids, ids, (served, named) => {
        const cut = carveOut(served, named);
        expect([...cut.moving, ...cut.staying].sort()).toEqual([...served].sort());
        expect(cut.moving.filter((m) => cut.staying.includes(m))).toEqual([]);
        expect([...cut.moving, ...cut.notServed].sort()).toEqual([...named].sort());
      }),
    );
  });
});

describe('areaTotals and planConsolidation', () => {
  const fig = (businessId: string, population: number | null, areaKm2: number | null) => ({ businessId, population, areaKm2 });

  it('sums population and area, counting unknown figures as 0 and listing them', () => {
    expect(areaTotals([fig(M1, 100, 10.5), fig(M2, null, 20), fig(M1, 100, 10.5)])).toEqual({
      population: 100, areaKm2: 30.5, municipalities: 2, unknownFigures: [M2],
    });
  });

  // Socca serves M1, Sosiaalitaito M2, Verso M3..M5 of which M3 and M4 move. Hand-checked shares:
  // before ΣP = 1000, ΣA = 100; Socca 0.5·400/1000 + 0.5·10/100 = 0.25.
  // after Socca P = 400 + 200 + 100 + 100 = 800, A = 10 + 20 + 10 + 10 = 50 → 0.5·0.8 + 0.5·0.5 = 0.65.
  const centres: CentreArea[] = [
    { centre: SOCCA, municipalities: [fig(M1, 400, 10)] },
    { centre: STAITO, municipalities: [fig(M2, 200, 20)] },
    { centre: VERSO, municipalities: [fig(M3, 100, 10), fig(M4, 100, 10), fig(M5, 200, 50)] },
  ];

  it('shows the carve-out, the combined area and the receiving centre’s share before and after', () => {
    const plan = planConsolidation(consolidationInputSchema.parse(body()), centres);
    expect(plan.carveOuts).toEqual([
      { party: STAITO, role: 'absorbed', moving: [M2], staying: [] },
      { party: VERSO, role: 'carve-out', moving: [M3, M4], staying: [M5] },
    ]);
    expect(plan.receivingAfter).toEqual({ population: 800, areaKm2: 50, municipalities: 4, unknownFigures: [], municipalityIds: [M1, M2, M3, M4] });
    expect(plan.fundingNote).toBeNull();
    const r = plan.funding?.receiving;
    expect(r?.before.share).toBeCloseTo(0.25, 12);
    expect(r?.after.share).toBeCloseTo(0.65, 12);
    expect([r?.before.cents, r?.after.cents]).toEqual([87_500_000, 227_500_000]);
    // Verso stays with M5 only; Sosiaalitaito is gone; the cents still add up.
    expect(plan.funding?.centresAfter).toEqual([
      { key: SOCCA, population: 800, areaKm2: 50 },
      { key: VERSO, population: 200, areaKm2: 50 },
    ]);
    expect(plan.funding?.after.reduce((n, s) => n + s.cents, 0)).toBe(350_000_000);
  });

  it('gives the reason instead of shares when no population or area is known', () => {
    const unknown = centres.map((c) => ({ ...c, municipalities: c.municipalities.map((m) => fig(m.businessId, null, null)) }));
    const plan = planConsolidation(consolidationInputSchema.parse(body()), unknown);
    expect(plan.funding).toBeNull();
    expect(plan.fundingNote).toContain('populations sum to 0');
  });
});

describe('preparationEnds', () => {
  const now = Date.parse('2026-11-22T10:00:00Z');
  const deadlines = (study: string, decisions: string, consents: string) => ({
    feasibility: { deadline: study }, decisions: { deadline: decisions }, consentDeadline: consents,
  });

  test('adds the study, the decisions and the consents to now, as a date', () => {
    expect(preparationEnds(deadlines('7 days', '10 days', '5 days'), now)).toBe('2026-12-14');
    expect(preparationEnds(deadlines('120 days', '180 days', '60 days'), now)).toBe('2027-11-17');
  });

  test('hours count too, and a deadline that is not a duration gives no answer', () => {
    expect(preparationEnds(deadlines('13 h', '1 h', '1 h'), now)).toBe('2026-11-23');
    expect(preparationEnds(deadlines('soon', '1 day', '1 day'), now)).toBeNull();
  });
});
