import { describe, expect, it } from '@jest/globals';
import type { ListItem } from './api';
import { toCsv } from './facts';

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
