import { historicalRecordSchema, historicalTrack, notYetHappened, type HistoricalRecordInput } from './historical-record';
import { foldTracked } from './projection';

const VERSO = '1572860-0';
const HUS = '2077474-0';
const record: HistoricalRecordInput = historicalRecordSchema.parse({
  kind: 'consolidation',
  businessKey: 'consolidation:uusimaa-2023',
  title: 'Uusimaa 2023',
  effectiveDate: '2023-01-01',
  organisations: [VERSO, HUS],
  // Given out of order: the track puts them in the order they were taken.
  decisions: [
    { body: 'HUS board', party: HUS, decidedOn: '2022-12-14' },
    { body: 'Verso board', party: VERSO, decidedOn: '2022-10-14', reference: '§ 12' },
  ],
  changes: [],
  source: 'DOMAIN.md',
});

describe('historicalTrack', () => {
  const track = historicalTrack(record, 'imported:consolidation:uusimaa-2023');

  it('writes each decision at Helsinki noon of its day, then the effective date at the first moment of that Helsinki day', () => {
    expect(track.map((s) => [s.action, s.occurredAt])).toEqual([
      ['historical.decision-recorded', '2022-10-14T09:00:00.000Z'],
      ['historical.decision-recorded', '2022-12-14T10:00:00.000Z'],
      ['historical.effective', '2022-12-31T22:00:00.000Z'],
    ]);
  });

  it('folds to a run waiting for the next body, then for the effective date, then completed; no approval is ever pending', () => {
    const states = track.map((_, n) => foldTracked(track.slice(0, n + 1)));
    expect(states.map((s) => [s.run?.status, s.run?.waitingFor])).toEqual([
      ['running', ['HUS board']],
      ['running', ['effective date 2023-01-01']],
      ['completed', []],
    ]);
    expect(track.flatMap((s) => s.approvals).map((a) => a.status)).toEqual(['approved', 'approved']);
    expect(states[2]!.approvals.map((a) => [a.body, a.reference])).toEqual([['Verso board', '§ 12'], ['HUS board', null]]);
  });
});

describe('historicalRecordSchema', () => {
  it('names a decision on or after the effective date, and a decider that is not one of the organisations', () => {
    const r = historicalRecordSchema.safeParse({
      ...record, decisions: [{ body: 'Board', party: '0737546-2', decidedOn: '2023-01-01' }],
    });
    expect(r.success).toBe(false);
    expect(r.error?.issues.map((i) => i.path.join('.')).sort()).toEqual(['decisions.0.decidedOn', 'decisions.0.party']);
  });

  it('a record must be of the past: an effective date of today or later has not happened yet', () => {
    expect(notYetHappened(record, '2023-01-01')).toBe(true);
    expect(notYetHappened(record, '2023-01-02')).toBe(false);
  });
});
