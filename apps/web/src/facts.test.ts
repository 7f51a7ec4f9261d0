import { describe, expect, it } from '@jest/globals';
import type { ListItem } from './api';
import { rag, ragOf, toCsv } from './facts';

function item(over: Partial<ListItem>): ListItem {
  return {
    workflowId: 'onboarding:9100060-3:9500010-9', kind: 'onboarding', title: 'Kymenlaakso joins Socom', status: 'running',
    stage: 'board', percent: 20, startedAt: '2026-01-01T00:00:00.000Z', updatedAt: '2026-01-02T00:00:00.000Z',
    nextDeadline: null, waitingFor: [], ...over,
  } as ListItem;
}

describe('toCsv', () => {
  it('neutralises cells a spreadsheet would run as a formula', () => {
    const lines = toCsv([
      item({ title: '=HYPERLINK("http://evil","x")' }),
      item({ title: '+1+1' }),
      item({ title: '-2+3' }),
      item({ title: '@SUM(A1)' }),
      item({ title: '\t=1' }),
    ]).trimEnd().split('\n');
    const titles = lines.slice(1).map((l) => l.split(',').slice(2, -7).join(','));
    expect(titles).toEqual(['"\'=HYPERLINK(""http://evil"",""x"")"', "'+1+1", "'-2+3", "'@SUM(A1)", "'\t=1"]);
  });

  it('quotes commas, quotes and line breaks, and joins lists', () => {
    const csv = toCsv([item({ title: 'a, "b"\nc', waitingFor: ['board of 9100060-3', 'board of 9500010-9'] })]);
    expect(csv.split('\n')[0]).toBe('workflowId,kind,title,status,stage,percent,startedAt,updatedAt,nextDeadline,waitingFor');
    expect(csv).toContain('"a, ""b""\nc"');
    expect(csv.trimEnd().endsWith('board of 9100060-3; board of 9500010-9')).toBe(true);
  });
});

describe('rag on the Helsinki clock (injected now)', () => {
  const running = (nextDeadline: string) => ({ status: 'running', nextDeadline });
  it('a deadline passed earlier today is amber (due today) until Helsinki midnight, then red', () => {
    // Deadline 10:00 EET on 14 January; Helsinki midnight is 22:00 UTC.
    expect(rag(running('2026-01-14T08:00:00Z'), Date.parse('2026-01-14T21:59:00Z'))).toEqual({ level: 'amber', reason: 'dueToday', at: '2026-01-14T08:00:00Z' });
    expect(rag(running('2026-01-14T08:00:00Z'), Date.parse('2026-01-14T22:00:00Z'))).toEqual({ level: 'red', reason: 'overdue', at: '2026-01-14T08:00:00Z' });
  });
  it('across the autumn change the day ends at 22:00 UTC, across the spring change at 21:00 UTC', () => {
    expect(rag(running('2026-10-25T06:00:00Z'), Date.parse('2026-10-25T21:30:00Z')).level).toBe('amber');
    expect(rag(running('2026-10-25T06:00:00Z'), Date.parse('2026-10-25T22:00:00Z')).level).toBe('red');
    expect(rag(running('2026-03-29T06:00:00Z'), Date.parse('2026-03-29T20:59:00Z')).level).toBe('amber');
    expect(rag(running('2026-03-29T06:00:00Z'), Date.parse('2026-03-29T21:00:00Z')).level).toBe('red');
  });
  it('a week ahead is amber, further is green; failed is red; a closed run shows its status', () => {
    expect(rag(running('2026-01-20T08:00:00Z'), Date.parse('2026-01-14T08:00:00Z')).reason).toBe('dueSoon');
    expect(rag(running('2026-02-20T08:00:00Z'), Date.parse('2026-01-14T08:00:00Z'))).toEqual({ level: 'green', reason: 'onTrack' });
    expect(rag({ status: 'failed', nextDeadline: null }, 0)).toEqual({ level: 'red', reason: 'failed' });
    expect(rag({ status: 'completed', nextDeadline: '2020-01-01T00:00:00Z' }, Date.parse('2026-01-01T00:00:00Z'))).toEqual({ level: 'green', reason: 'completed' });
  });
});

describe('ragOf', () => {
  const now = Date.parse('2026-01-14T10:00:00Z');
  it("shows the API's judgement, in the dashboard's words", () => {
    expect(ragOf(item({ health: { level: 'red', reason: 'overdue', deadline: '2026-01-13T08:00:00Z' } }), now))
      .toEqual({ level: 'red', reason: 'overdue', at: '2026-01-13T08:00:00Z' });
    expect(ragOf(item({ health: { level: 'amber', reason: 'due_soon', deadline: '2026-01-14T15:00:00Z' } }), now))
      .toEqual({ level: 'amber', reason: 'dueToday', at: '2026-01-14T15:00:00Z' });
    expect(ragOf(item({ health: { level: 'amber', reason: 'due_soon', deadline: '2026-01-18T15:00:00Z' } }), now).reason).toBe('dueSoon');
    expect(ragOf(item({ health: { level: 'green', reason: 'on_track', deadline: null } }), now)).toEqual({ level: 'green', reason: 'onTrack' });
    expect(ragOf(item({ status: 'completed', health: { level: 'green', reason: 'closed', deadline: null } }), now)).toEqual({ level: 'green', reason: 'completed' });
  });

  it('falls back to its own judgement when an answer carries no health', () => {
    expect(ragOf(item({ nextDeadline: '2026-01-13T08:00:00Z' }), now)).toEqual(rag(item({ nextDeadline: '2026-01-13T08:00:00Z' }), now));
  });
});
