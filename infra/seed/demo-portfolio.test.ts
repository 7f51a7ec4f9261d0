import { isBusinessId } from '../../libs/domain/business-id';
import { consolidationInputSchema } from '../../libs/domain/consolidation';
import { periodState } from '../../apps/web/src/periods';
import { DEMO_ORGANISATIONS } from './demo-data';
import { uusimaaLaunchBody } from './demo-consolidation';
import { DECIDED_IN_CHAIN, DEMO_APPLICANTS, portfolioApplicantId } from './demo-portfolio';
import { runningDemoProject } from './demo-projects';

describe('the demo portfolio', () => {
  it('has one onboarding for each place a manager looks: waiting for the board, subscription, payment, done and cancelled', () => {
    expect(DEMO_APPLICANTS.map((a) => a.target).sort()).toEqual(['board', 'cancelled', 'completed', 'payment', 'subscription']);
    const ids = DEMO_APPLICANTS.map((a) => portfolioApplicantId(a.serial));
    expect(ids.every(isBusinessId)).toBe(true);
    expect(new Set(ids).size).toBe(ids.length);
    // Fictional applicants: none is an organisation of the demo registry.
    expect(ids.filter((id) => DEMO_ORGANISATIONS.some((o) => o.businessId === id))).toEqual([]);
  });

  it('decides bodies in their chain order: each decided body is first in its chain or follows a decided one', () => {
    const input = consolidationInputSchema.parse(uusimaaLaunchBody('2027-01-01', new Date('2026-06-01T09:00:00Z')));
    for (const d of DECIDED_IN_CHAIN) {
      const chain = input.parties.find((p) => p.businessId === d.party)?.decisionChain.map((b) => b.key) ?? [];
      const at = chain.indexOf(d.body);
      expect([d.body, at >= 0]).toEqual([d.body, true]);
      const before = chain.slice(0, at);
      expect(before.filter((b) => !DECIDED_IN_CHAIN.some((x) => x.party === d.party && x.body === b))).toEqual([]);
    }
    // Some of every chain is still open, and the host (HUS) has not been reached.
    expect(DECIDED_IN_CHAIN.length).toBeLessThan(input.parties.reduce((n, p) => n + p.decisionChain.length, 0));
  });
});

describe('the running demo project', () => {
  // Days across the seasons and month ends, Helsinki dates: the overdue report is the same story on each.
  it.each(['2026-01-31', '2026-03-01', '2026-06-30', '2026-10-15', '2026-12-03', '2027-02-28'])('on %s: period 1 reported, period 2 overdue, the rest ahead', (today) => {
    const p = runningDemoProject(today);
    expect(p.overduePeriod).toBe(2);
    expect(p.record.startDate < today && today < p.record.endDate).toBe(true);
    const states = p.periods.map((period) => periodState(period, period.no < p.overduePeriod ? period.dueOn : null, today));
    expect(states.slice(0, 3)).toEqual(['reported', 'overdue', 'future']);
    expect(new Set(states.slice(2))).toEqual(new Set(['future']));
  });
});
