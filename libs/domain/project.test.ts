import fc from 'fast-check';
import {
  addDays, addMonths, checkApprovedAmount, checkBudgetChange, ownFinancingTotalCents, planOwnFinancing, planPeriods,
  projectBusinessKey, projectInputSchema, replanPeriods, type ProjectPeriod,
} from './project';

const THL = '2229500-6';
const OTHER = '2077474-0';
const THIRD = '1572860-0';

const base = {
  name: 'Sokra II', euraCode: 'S20220', funder: OTHER, lead: THL, plannedStart: '2017-10-01', plannedEnd: '2020-09-30', budgetCents: 1_200_000_00,
};

function issues(body: unknown): { path: string; message: string }[] {
  const r = projectInputSchema.safeParse(body);
  return r.success ? [] : r.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message }));
}

describe('project input', () => {
  test('a well-formed input gets its defaults', () => {
    const i = projectInputSchema.parse(base);
    expect(i).toMatchObject({ partners: [], reportingPeriodMonths: 6, reportDueDays: 60, reminders: ['14 days', '3 days'], retentionYears: 10 });
  });

  test.each([
    ['a malformed EURA code', { euraCode: 's20220' }, 'euraCode'],
    ['a six-digit EURA code', { euraCode: 'S202201' }, 'euraCode'],
    ['an end before the start', { plannedEnd: '2017-09-30' }, 'plannedEnd'],
    ['a zero budget', { budgetCents: 0 }, 'budgetCents'],
    ['a negative budget', { budgetCents: -5 }, 'budgetCents'],
    ['a budget in fractions of a cent', { budgetCents: 10.5 }, 'budgetCents'],
    ['an invalid business ID', { lead: '2229500-5' }, 'lead'],
    ['an own-financing percent with three decimals', { ownFinancing: { percent: 12.345, partners: [{ businessId: THIRD }] } }, 'ownFinancing.percent'],
    ['the lead also listed as a partner', { partners: [THL] }, 'partners'],
  ])('refuses %s', (_what, change, path) => {
    expect(issues({ ...base, ...change }).map((i) => i.path)).toContain(path);
  });

  test('between several own-financing partners every population is needed', () => {
    const body = { ...base, ownFinancing: { percent: 25, partners: [{ businessId: OTHER, population: 1000 }, { businessId: THIRD }] } };
    expect(issues(body)).toEqual([{ path: 'ownFinancing.partners.1.population', message: 'is needed to split the own financing by population' }]);
    const single = { ...base, ownFinancing: { percent: 25, partners: [{ businessId: THIRD }] } };
    expect(issues(single)).toEqual([]);
  });

  test('the business key carries the code (or the slug) and the start, so continuation phases differ', () => {
    expect(projectBusinessKey(projectInputSchema.parse(base))).toBe('project:S20220:2017-10-01');
    expect(projectBusinessKey({ name: 'Hyvä Arki – kokeilu', plannedStart: '2027-01-01' })).toBe('project:hyva-arki-kokeilu:2027-01-01');
  });
});

describe('dates', () => {
  test('month arithmetic clamps to the end of a shorter month', () => {
    expect(addMonths('2024-01-31', 1)).toBe('2024-02-29');
    expect(addMonths('2023-01-31', 1)).toBe('2023-02-28');
    expect(addMonths('2014-10-01', 6)).toBe('2015-04-01');
    expect(addDays('2020-09-30', 1)).toBe('2020-10-01');
  });
});

describe('own financing', () => {
  test('the total is the percent of the budget, half a cent rounded up', () => {
    expect(ownFinancingTotalCents(1_000_00, 25)).toBe(250_00);
    expect(ownFinancingTotalCents(1, 50)).toBe(1); // 0.5 cents → 1
    expect(ownFinancingTotalCents(3, 33.33)).toBe(1);
  });

  test('split by population to the cent, summing exactly to the total', () => {
    const plan = planOwnFinancing(100_000_00, {
      percent: 10,
      partners: [{ businessId: 'a', population: 19_534 }, { businessId: 'b', population: 50_500 }, { businessId: 'c', population: 78_880 }],
    });
    expect(plan.totalCents).toBe(10_000_00);
    expect(plan.shares.reduce((s, x) => s + x.cents, 0)).toBe(plan.totalCents);
    // Kouvola's exact share is 529,702.85... cents: it gets that or one cent more.
    const kouvola = plan.shares.find((s) => s.key === 'c')?.cents ?? 0;
    expect(Math.abs(kouvola - (10_000_00 * 78_880) / (19_534 + 50_500 + 78_880))).toBeLessThan(1);
  });

  test('property: any budget, percent and populations sum exactly, each share within a cent of its proportion', () => {
    const partnersArb = fc.array(fc.integer({ min: 1, max: 700_000 }), { minLength: 1, maxLength: 20 })
      .map((pops) => pops.map((population, i) => ({ businessId: `p${i}`, population })));
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 10_000_000_000 }), fc.integer({ min: 1, max: 10_000 }), partnersArb, (budget, bp, partners) => {
        const plan = planOwnFinancing(budget, { percent: bp / 100, partners });
        expect(plan.shares.reduce((s, x) => s + x.cents, 0)).toBe(plan.totalCents);
        const sum = partners.reduce((s, p) => s + p.population, 0);
        const onlyOne = partners.length === 1;
        plan.shares.forEach((s, i) => {
          const exact = onlyOne ? plan.totalCents : (plan.totalCents * (partners[i]?.population ?? 0)) / sum;
          expect(Math.abs(s.cents - exact)).toBeLessThan(1 + 1e-6);
        });
      }),
    );
  });

  test('a reduced budget scales the total and the split follows', () => {
    const own = { percent: 25, partners: [{ businessId: 'a', population: 1 }, { businessId: 'b', population: 2 }] };
    expect(planOwnFinancing(900_00, own)).toEqual({
      totalCents: 225_00, percent: 25, shares: [{ key: 'a', cents: 75_00, population: 1 }, { key: 'b', cents: 150_00, population: 2 }],
    });
    expect(checkApprovedAmount(1_000_01, 1_000_00)).toEqual({ path: 'payload.approvedCents', message: 'must be at most the 100000 cents applied for' });
    expect(checkApprovedAmount(0, 1_000_00)?.path).toBe('payload.approvedCents');
    expect(checkApprovedAmount(900_00, 1_000_00)).toBeNull();
  });
});

function expectGapFree(periods: ProjectPeriod[], start: string, end: string): void {
  expect(periods[0]?.start).toBe(start);
  expect(periods[periods.length - 1]?.end).toBe(end);
  for (let i = 1; i < periods.length; i++) expect(periods[i]?.start).toBe(addDays(periods[i - 1]?.end ?? '', 1));
  for (const p of periods) expect(p.end >= p.start).toBe(true);
  periods.forEach((p, i) => expect(p.no).toBe(i + 1));
}

describe('period plan', () => {
  test('Sokra I in half-years: six periods from 2014-10-01 to 2017-09-30, reports due 60 days after each', () => {
    const periods = planPeriods('2014-10-01', '2017-09-30', 6, 60);
    expect(periods.map((p) => [p.start, p.end])).toEqual([
      ['2014-10-01', '2015-03-31'], ['2015-04-01', '2015-09-30'], ['2015-10-01', '2016-03-31'],
      ['2016-04-01', '2016-09-30'], ['2016-10-01', '2017-03-31'], ['2017-04-01', '2017-09-30'],
    ]);
    expect(periods[0]?.dueOn).toBe('2015-05-30');
  });

  test('a last period shorter than the rhythm ends on the end date', () => {
    const periods = planPeriods('2020-10-01', '2023-08-31', 6, 30);
    expect(periods[periods.length - 1]).toEqual({ no: 6, start: '2023-04-01', end: '2023-08-31', dueOn: '2023-09-30' });
  });

  const dayArb = fc.integer({ min: 0, max: 20_000 }).map((n) => addDays('2000-01-01', n));
  test('property: every plan is a gap-free chain from the start to the end', () => {
    fc.assert(
      fc.property(dayArb, fc.integer({ min: 0, max: 3_000 }), fc.integer({ min: 1, max: 24 }), (start, len, months) => {
        const end = addDays(start, len);
        expectGapFree(planPeriods(start, end, months, 30), start, end);
      }),
    );
  });
});

describe('re-planning after an extension', () => {
  const periods = planPeriods('2017-10-01', '2020-09-30', 6, 60);
  const reported = new Set([1, 2, 3]);

  test('Sokra II extended to 2023-08-31: reported periods stay, the rest is re-planned gap-free', () => {
    const r = replanPeriods(periods, reported, '2023-08-31', '2020-06-01', 6, 60);
    if (!r.ok) throw new Error(r.refusal.message);
    expect(r.periods.slice(0, 3)).toEqual(periods.slice(0, 3));
    expectGapFree(r.periods, '2017-10-01', '2023-08-31');
  });

  test('no extension into the past', () => {
    expect(replanPeriods(periods, reported, '2020-05-31', '2020-06-01', 6, 60)).toEqual({
      ok: false, refusal: { path: 'payload.newEnd', message: 'must not be in the past (today is 2020-06-01)' },
    });
  });

  test('no change to a period already reported', () => {
    const r = replanPeriods(periods, reported, '2019-03-31', '2019-01-01', 6, 60);
    expect(r).toEqual({ ok: false, refusal: { path: 'payload.newEnd', message: 'must be after 2019-03-31, the end of period 3, which is already reported' } });
  });

  test('property: reported prefixes never change and the chain stays gap-free', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 6 }), fc.integer({ min: 1, max: 2_000 }), (nReported, extraDays) => {
        const rep = new Set(Array.from({ length: nReported }, (_, i) => i + 1));
        const newEnd = addDays('2020-09-30', extraDays - 400);
        const r = replanPeriods(periods, rep, newEnd, '2000-01-01', 6, 60);
        const lastReportedEnd = periods[nReported - 1]?.end;
        if (lastReportedEnd !== undefined && newEnd <= lastReportedEnd) return expect(r.ok).toBe(false);
        if (!r.ok) throw new Error(r.refusal.message);
        expect(r.periods.slice(0, nReported)).toEqual(periods.slice(0, nReported));
        expectGapFree(r.periods, '2017-10-01', newEnd);
      }),
    );
  });

  test('a budget change may not drop below reported costs', () => {
    expect(checkBudgetChange(500, 600)).toEqual({ path: 'payload.budgetCents', message: 'must be at least the 600 cents already reported' });
    expect(checkBudgetChange(-1, 0)?.path).toBe('payload.budgetCents');
    expect(checkBudgetChange(700, 600)).toBeNull();
  });
});
