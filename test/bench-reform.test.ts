import { planReform, REFORM_COUNTIES, REFORM_STAFF } from '../bench/arms/reform';
import { CONSOLIDATION_LIMITS } from '../libs/domain/consolidation';

// W10's counties: the public figures kept, the rest in proportion to population, within a party's limit.
describe('the 2023 reform as W10 plans it', () => {
  const plan = planReform(REFORM_STAFF);

  it('has the 22 consolidations with 220,000 staff references in all, Pirkanmaa and Vantaa–Kerava at their public figures', () => {
    expect(plan).toHaveLength(22);
    expect(plan.reduce((n, c) => n + c.staff, 0)).toBe(220_000);
    const staffOf = (name: string) => plan.find((c) => c.name === name)?.staff;
    expect([staffOf('Pirkanmaa'), staffOf('Vantaa–Kerava')]).toEqual([19_000, 4_300]);
    // Elsewhere in proportion to population: Helsinki has as many times Kainuu's staff as its people.
    expect(staffOf('Helsinki')! / staffOf('Kainuu')!).toBeCloseTo(658_000 / 72_000, 1);
  });

  it('splits every county between two parties within the per-party limit, each with business IDs of its own', () => {
    for (const c of plan) {
      expect(c.split[0] + c.split[1]).toBe(c.staff);
      expect(Math.max(...c.split)).toBeLessThanOrEqual(CONSOLIDATION_LIMITS.staffPerParty);
    }
    const ids = plan.flatMap((c) => [...c.parties, c.receiving]);
    expect(new Set(ids).size).toBe(ids.length);
    expect(new Set(plan.map((c) => c.slug)).size).toBe(plan.length);
    expect(plan.every((c) => /^[a-z0-9]+(-[a-z0-9]+)*$/.test(c.slug))).toBe(true);
  });

  it('scales down for the quick bench: the first counties, adding up to the total asked for', () => {
    const quick = planReform(300, 3);
    expect(quick.map((c) => c.name)).toEqual(REFORM_COUNTIES.slice(0, 3).map((c) => c.name));
    expect(quick.reduce((n, c) => n + c.staff, 0)).toBe(300);
    expect(quick.every((c) => c.split.every((n) => n > 0))).toBe(true);
  });
});
