/**
 * Uploaded item lists for a consolidation (staff references and agreements of one party), read line by
 * line so a 25,000-row list never sits in memory as one document. Two formats:
 *
 * - JSON lines (`application/x-ndjson`): one object a line, `{"kind":"staff","ref":"VERSO-S-004"}` or
 *   `{"kind":"agreement","ref":"SOP-2021-07","counterparty":"0201256-6"}`.
 * - CSV (`text/csv`), a documented subset: a header line `kind,ref,counterparty` (in that order), then
 *   one row a line, fields separated by commas, no quoting (no value of the list may contain a comma or
 *   a quote, so none needs it); `counterparty` empty for staff.
 *
 * Blank lines are skipped. Every bad line is reported with its number, field and reason; a list with any
 * bad line is refused whole. Pure: the API streams the lines in, the repository stores the rows.
 */
import { CONSOLIDATION_LIMITS, itemListRowSchema, type ItemListRowInput } from './consolidation';

export type ItemListFormat = 'csv' | 'jsonl';
export type ItemListIssue = { line: number; field: string; message: string };
export type ItemListLine = ItemListRowInput & { line: number };

export const CSV_HEADER = ['kind', 'ref', 'counterparty'] as const;
/** Problems reported in one answer; a list with more is refused with the first ones and their count. */
export const MAX_REPORTED_ISSUES = 1_000;

/** The content types an upload may have, mapped to their format. */
export function itemListFormat(contentType: string | undefined): ItemListFormat | null {
  const type = (contentType ?? '').split(';')[0]?.trim().toLowerCase();
  if (type === 'text/csv') return 'csv';
  if (type === 'application/x-ndjson' || type === 'application/jsonl' || type === 'application/x-jsonlines') return 'jsonl';
  return null;
}

/** Collects an upload's rows line by line: `add` each line as it arrives, `finish` once the body ended. */
export class ItemListReader {
  private readonly rows: ItemListLine[] = [];
  private readonly issues: ItemListIssue[] = [];
  private readonly seen = new Map<string, number>();
  private issueCount = 0;
  private lineNo = 0;
  private headerSeen = false;

  constructor(private readonly format: ItemListFormat) {}

  add(raw: string): void {
    this.lineNo += 1;
    const line = this.lineNo;
    const text = raw.replace(/\r$/, '');
    if (text.trim() === '') return;
    if (this.format === 'csv' && !this.headerSeen) {
      this.headerSeen = true;
      if (text.split(',').map((h) => h.trim()).join(',') !== CSV_HEADER.join(',')) {
        this.issue(line, '(header)', `must be "${CSV_HEADER.join(',')}"`);
      }
      return;
    }
    const parsed = this.format === 'csv' ? csvRow(text) : jsonRow(text);
    if ('issue' in parsed) {
      this.issue(line, parsed.issue.field, parsed.issue.message);
      return;
    }
    const result = itemListRowSchema.safeParse(parsed.value);
    if (!result.success) {
      for (const i of result.error.issues) this.issue(line, i.path.map(String).join('.') || '(line)', i.message);
      return;
    }
    const key = `${result.data.kind} ${result.data.ref}`;
    const first = this.seen.get(key);
    if (first !== undefined) {
      this.issue(line, 'ref', `${result.data.kind} ${result.data.ref} is already on line ${first}`);
      return;
    }
    this.seen.set(key, line);
    this.rows.push({ ...result.data, line });
  }

  /** The rows, or the problems (the first MAX_REPORTED_ISSUES) with their total count. */
  finish(): { ok: true; rows: ItemListLine[] } | { ok: false; issues: ItemListIssue[]; total: number } {
    if (this.format === 'csv' && !this.headerSeen) this.issue(1, '(header)', `the list is empty; it starts with the header "${CSV_HEADER.join(',')}"`);
    const staff = this.rows.filter((r) => r.kind === 'staff').length;
    if (staff > CONSOLIDATION_LIMITS.staffPerParty) {
      this.issue(this.lineNo, '(list)', `has ${staff} staff references; a party may have at most ${CONSOLIDATION_LIMITS.staffPerParty}`);
    }
    const agreements = this.rows.length - staff;
    if (agreements > CONSOLIDATION_LIMITS.agreementsPerParty) {
      this.issue(this.lineNo, '(list)', `has ${agreements} agreements; a party may have at most ${CONSOLIDATION_LIMITS.agreementsPerParty}`);
    }
    if (this.issueCount === 0 && this.rows.length === 0) this.issue(this.lineNo, '(list)', 'has no rows');
    return this.issueCount > 0 ? { ok: false, issues: this.issues, total: this.issueCount } : { ok: true, rows: this.rows };
  }

  /** Lines read so far (blank ones and the CSV header included). */
  get lines(): number {
    return this.lineNo;
  }

  private issue(line: number, field: string, message: string): void {
    this.issueCount += 1;
    if (this.issues.length < MAX_REPORTED_ISSUES) this.issues.push({ line, field, message });
  }
}

type RowParse = { value: unknown } | { issue: { field: string; message: string } };

function csvRow(text: string): RowParse {
  if (text.includes('"')) return { issue: { field: '(line)', message: 'quoted CSV fields are not supported (no value needs quoting)' } };
  const fields = text.split(',');
  if (fields.length !== CSV_HEADER.length) {
    return { issue: { field: '(line)', message: `must have ${CSV_HEADER.length} fields (${CSV_HEADER.join(',')}), not ${fields.length}` } };
  }
  const [kind, ref, counterparty] = fields.map((f) => f.trim());
  return { value: { kind, ref, ...(counterparty ? { counterparty } : {}) } };
}

function jsonRow(text: string): RowParse {
  try {
    const value: unknown = JSON.parse(text);
    if (typeof value !== 'object' || value === null || Array.isArray(value)) return { issue: { field: '(line)', message: 'must be a JSON object' } };
    return { value };
  } catch {
    return { issue: { field: '(line)', message: 'is not valid JSON' } };
  }
}
