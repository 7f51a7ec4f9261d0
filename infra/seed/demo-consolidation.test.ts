import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { consolidationInputSchema, consolidationLaunchSchema, preparationEnds } from '../../libs/domain/consolidation';
import { ITA_UUSIMAA_MUNICIPALITY_IDS, PAIJAT_HAME_MUNICIPALITY_IDS, nextNewYear, uusimaaLaunchBody } from './demo-consolidation';

describe('the Uusimaa consolidation demo', () => {
  it('is dated on the next 1 January, with a readable business key', () => {
    expect(nextNewYear(new Date('2026-11-22T12:00:00Z'))).toBe('2027-01-01');
    expect(nextNewYear(new Date('2027-01-01T00:00:00Z'))).toBe('2028-01-01');
    const body = uusimaaLaunchBody();
    expect(body.slug).toBe(`uusimaa-${body.effectiveDate.slice(0, 4)}`);
    expect(consolidationLaunchSchema.safeParse(body).success).toBe(true);
  });

  it('carves out Verso’s seven Itä-Uusimaa municipalities and keeps its ten in Päijät-Häme', () => {
    expect(ITA_UUSIMAA_MUNICIPALITY_IDS).toHaveLength(7);
    expect(PAIJAT_HAME_MUNICIPALITY_IDS).toHaveLength(10);
    expect(new Set([...ITA_UUSIMAA_MUNICIPALITY_IDS, ...PAIJAT_HAME_MUNICIPALITY_IDS]).size).toBe(17);
    const verso = consolidationInputSchema.parse(uusimaaLaunchBody('2027-01-01')).parties.find((p) => p.label === 'Verso');
    expect(verso?.joins).toBe('part');
    expect(verso?.decisionChain.map((b) => b.key)).toEqual(['verso-board', 'joint-authority-board', 'joint-authority-council']);
  });

  it('the JSON copy for `fuusio launch consolidation --file` is the same body', () => {
    const file = JSON.parse(readFileSync(join(__dirname, 'launch', 'consolidation-uusimaa.json'), 'utf8'));
    const { feasibility, decisions, consentDeadline, ...rest } = file;
    const { feasibility: f, decisions: _d, consentDeadline: _c, ...computed } = uusimaaLaunchBody(file.effectiveDate);
    expect(rest).toEqual(computed);
    expect(feasibility.owner).toBe(f.owner);
    // The file's deadlines are fixed: together they fit in the shortest lead time the demo allows (30 days).
    expect(preparationEnds({ feasibility, decisions, consentDeadline }, Date.parse('2026-01-01T00:00:00Z')) ?? '9999').toMatch(/^2026-01-([012]\d|30)$/);
    expect(consolidationInputSchema.safeParse(file).success).toBe(true);
  });
});
