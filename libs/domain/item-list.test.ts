import { CONSOLIDATION_LIMITS } from './consolidation';
import { ItemListReader, MAX_REPORTED_ISSUES, itemListFormat } from './item-list';

const read = (format: 'csv' | 'jsonl', lines: string[]) => {
  const reader = new ItemListReader(format);
  lines.forEach((l) => reader.add(l));
  return reader.finish();
};

describe('item lists', () => {
  it('knows its content types', () => {
    expect(['text/csv; charset=utf-8', 'application/x-ndjson', 'application/json', undefined].map(itemListFormat)).toEqual(['csv', 'jsonl', null, null]);
  });

  it('reads the CSV subset and JSON lines into the same rows, with their line numbers', () => {
    const csv = read('csv', ['kind,ref,counterparty', 'staff,VERSO-S-004,', '', 'agreement,SOP-2021-07,2229500-6\r']);
    const jsonl = read('jsonl', ['{"kind":"staff","ref":"VERSO-S-004"}', '', '{"kind":"agreement","ref":"SOP-2021-07","counterparty":"2229500-6"}']);
    expect(csv).toEqual({ ok: true, rows: [{ kind: 'staff', ref: 'VERSO-S-004', line: 2 }, { kind: 'agreement', ref: 'SOP-2021-07', counterparty: '2229500-6', line: 4 }] });
    expect(jsonl).toEqual({ ok: true, rows: [{ kind: 'staff', ref: 'VERSO-S-004', line: 1 }, { kind: 'agreement', ref: 'SOP-2021-07', counterparty: '2229500-6', line: 3 }] });
  });

  it('reports every bad line with its field and reason', () => {
    const r = read('jsonl', ['{"kind":"staff","ref":"Anna Virtanen"}', '[1]', '{"kind":"staff","ref":"X-1","counterparty":"2229500-6"}', '{"kind":"staff","ref":"X-2"}', '{"kind":"staff","ref":"X-2"}']);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.issues.map((i) => [i.line, i.field])).toEqual([[1, 'ref'], [2, '(line)'], [3, '(line)'], [5, 'ref']]);
    expect(r.issues[3]?.message).toBe('staff X-2 is already on line 4');
  });

  it('refuses a party beyond its limits, and reports at most MAX_REPORTED_ISSUES problems with their total', () => {
    const many = Array.from({ length: CONSOLIDATION_LIMITS.staffPerParty + 1 }, (_, i) => `{"kind":"staff","ref":"S-${i}"}`);
    const r = read('jsonl', many);
    expect(r).toEqual({ ok: false, total: 1, issues: [{ line: many.length, field: '(list)', message: `has ${many.length} staff references; a party may have at most ${CONSOLIDATION_LIMITS.staffPerParty}` }] });
    const bad = read('jsonl', Array.from({ length: MAX_REPORTED_ISSUES + 5 }, () => 'x'));
    expect(bad.ok === false && [bad.issues.length, bad.total]).toEqual([MAX_REPORTED_ISSUES, MAX_REPORTED_ISSUES + 5]);
  });
});
