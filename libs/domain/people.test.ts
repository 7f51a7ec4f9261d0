import { delegationDateIssues, delegationInputSchema, rangesOverlap, type DelegationInput } from './people';

const TODAY = '2026-03-10';
const base: DelegationInput = {
  fromPerson: 'socom-board-5', toPerson: 'socom-deputy-1', organisation: '1234567-1', role: 'board-member', validFrom: '2026-03-10', validTo: '2026-03-20',
};

describe('delegation rules', () => {
  test('a delegation from today onwards to someone else passes', () => {
    expect(delegationDateIssues(base, TODAY)).toEqual([]);
  });

  test('to oneself, into the past, backwards or longer than a year: refused with the field', () => {
    expect(delegationDateIssues({ ...base, toPerson: base.fromPerson }, TODAY)).toEqual([{ path: 'toPerson', message: 'a person cannot delegate to themselves' }]);
    expect(delegationDateIssues({ ...base, validFrom: '2026-03-09' }, TODAY)).toEqual([{ path: 'validFrom', message: 'must not be in the past (today is 2026-03-10)' }]);
    expect(delegationDateIssues({ ...base, validTo: '2026-03-09' }, TODAY).map((i) => i.path)).toEqual(['validTo']);
    expect(delegationDateIssues({ ...base, validTo: '2027-03-20' }, TODAY)).toEqual([{ path: 'validTo', message: 'a delegation lasts at most a year' }]);
  });

  test('an unknown role is refused by the schema with its field', () => {
    const parsed = delegationInputSchema.safeParse({ ...base, organisation: '2229500-6', role: 'king' });
    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues.map((i) => i.path.join('.'))).toEqual(['role']);
  });

  test('ranges overlap when they share a day; an open end overlaps everything after its start', () => {
    expect(rangesOverlap('2026-03-01', '2026-03-10', '2026-03-10', '2026-03-12')).toBe(true);
    expect(rangesOverlap('2026-03-01', '2026-03-09', '2026-03-10', '2026-03-12')).toBe(false);
    expect(rangesOverlap('2026-03-01', null, '2030-01-01', '2030-01-02')).toBe(true);
  });
});
