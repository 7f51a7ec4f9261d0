import { personInputSchema, roleInputSchema } from '../../libs/domain/people';
import { uusimaaLaunchBody } from './demo-consolidation';
import { DEMO_ORGANISATIONS, SOCOM_BUSINESS_ID } from './demo-data';
import { DEMO_PEOPLE } from './demo-people';

const TODAY = new Date('2026-06-01T00:00:00Z');

describe('demo people', () => {
  test('every person and role is valid input and names an organisation of the demo registry', () => {
    const known = new Set(DEMO_ORGANISATIONS.map((o) => o.businessId));
    for (const { roles, ...person } of DEMO_PEOPLE) {
      expect(personInputSchema.safeParse(person).success).toBe(true);
      for (const role of roles) {
        expect(roleInputSchema.safeParse({ ...role, validFrom: '2024-01-01' }).success).toBe(true);
        expect([person.id, known.has(role.organisation)]).toEqual([person.id, true]);
      }
    }
    expect(new Set(DEMO_PEOPLE.map((p) => p.id)).size).toBe(DEMO_PEOPLE.length);
  });

  test("Socom's board has five members, so the demo's 3 of 5 can be decided", () => {
    const board = DEMO_PEOPLE.filter((p) => p.roles.some((r) => r.organisation === SOCOM_BUSINESS_ID && r.role === 'board-member' && r.body === 'board'));
    expect(board).toHaveLength(5);
  });

  test('every deciding body of the seeded Uusimaa consolidation has someone in it', () => {
    const body = uusimaaLaunchBody('2028-01-01', TODAY);
    const bodies = [...body.parties, body.host].flatMap((p) => p.decisionChain.map((b) => [p.businessId, b.key] as const));
    for (const [organisation, key] of bodies) {
      const sitting = DEMO_PEOPLE.filter((p) => p.roles.some((r) => r.organisation === organisation && r.body === key));
      expect([key, sitting.length > 0]).toEqual([key, true]);
    }
  });
});
